package io.roentgen.datasets.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.Uids;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.dicom.pixel.DicomPixels;
import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.Windowing;
import io.roentgen.dicom.pixel.VoiSpec;
import io.roentgen.dicom.testing.ExternalTool;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticCollectionTest {
    @TempDir
    Path temp;

    @Test
    void hardTaskWritesItsOwnImagesAndNeedsTwoClasses() throws Exception {
        SynthSpec easy = SynthSpec.defaults(6);
        SyntheticCollection.write(temp.resolve("easy"), easy);
        SynthResult hard = SyntheticCollection.write(temp.resolve("hard"), easy.hard(HardPhantom.DEFAULT_CONTRAST));
        assertEquals(Set.of("normal", "nodule"), hard.imagesPerClass().keySet());
        Path image = Path.of("patient-0001", "study-1", "series-1", "image-1.dcm");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(temp.resolve("easy").resolve(image)),
                Files.readAllBytes(temp.resolve("hard").resolve(image))), "the hard task paints other pixels");
        assertThrows(IllegalArgumentException.class,
                () -> easy.withClasses(List.of("normal", "nodule", "ring"), 0.3).hard(HardPhantom.DEFAULT_CONTRAST));
        assertThrows(IllegalArgumentException.class, () -> easy.hard(0));
    }

    @ParameterizedTest
    @EnumSource(SynthEncoding.class)
    void everyTransferSyntaxReadsCleanlyWithDcmtkAndRoentgen(SynthEncoding encoding) throws Exception {
        SynthModality modality = SynthModality.values()[encoding.ordinal() % 3];
        SynthSpec spec = SynthSpec.defaults(4).withEncoding(encoding).withModality(modality);
        SynthResult result = SyntheticCollection.write(temp.resolve("out"), spec);
        List<Path> files = dicomFiles(temp.resolve("out"));
        assertEquals(result.images(), files.size());

        List<String> command = new ArrayList<>(List.of("dcmdump", "-Un"));
        files.forEach(f -> command.add(f.toString()));
        ExternalTool.Output dcmdump = ExternalTool.exec(null, Duration.ofSeconds(60), command.toArray(String[]::new));
        String err = dcmdump.stderr();
        assertEquals(0, dcmdump.exitCode(), err);
        assertFalse(err.contains("W:") || err.contains("E:"), err);
        String dump = dcmdump.stdout();
        assertTrue(dump.contains(encoding.transferSyntax().uid()), "dcmdump shows the transfer syntax");
        assertTrue(dump.contains("SYNTHETIC^PATIENT0001"));

        for (Path file : files) {
            DicomObject dicom = DicomReader.defaults().read(file);
            assertEquals(encoding.transferSyntax(), dicom.transferSyntax());
            assertEquals(modality.name(), dicom.getString(Tag.Modality));
            assertTrue(Uids.isValid(dicom.getString(Tag.SOPInstanceUID)));
            Frame frame = DicomPixels.frame(dicom, 0);
            FloatImage image = Preprocessing.of(PreprocessingSpec.window(VoiSpec.file(), true))
                    .apply(frame, DicomPixels.attributes(dicom));
            assertEquals(64, image.height());
        }
    }

    @Test
    void ctStoresHounsfieldUnitsWithInterceptMinus1024() throws Exception {
        SyntheticCollection.write(temp.resolve("ct"), SynthSpec.defaults(1));
        DicomObject dicom = DicomReader.defaults().read(dicomFiles(temp.resolve("ct")).get(0));
        assertEquals(-1024, dicom.getDouble(Tag.RescaleIntercept, 0));
        float[] hu = Windowing.modalityValues(DicomPixels.frame(dicom, 0), DicomPixels.attributes(dicom));
        // Corner: air, about -1000 HU with noise and shading.
        assertEquals(-1000, hu[0], 120);
        float max = Float.NEGATIVE_INFINITY;
        for (float v : hu) {
            max = Math.max(max, v);
        }
        assertTrue(max > 600, "bone is brighter than 600 HU: " + max);
    }

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedOtherUids() throws Exception {
        SynthSpec spec = SynthSpec.defaults(6).withEncoding(SynthEncoding.DEFLATE);
        SyntheticCollection.write(temp.resolve("a"), spec);
        SyntheticCollection.write(temp.resolve("b"), spec);
        SyntheticCollection.write(temp.resolve("c"), spec.withSeed(8));
        List<Path> a = relativeFiles(temp.resolve("a"));
        assertEquals(a, relativeFiles(temp.resolve("b")));
        for (Path file : a) {
            assertArrayEquals(Files.readAllBytes(temp.resolve("a").resolve(file)),
                    Files.readAllBytes(temp.resolve("b").resolve(file)), file.toString());
        }
        assertNotEquals(Files.readString(temp.resolve("a/manifest.csv")), Files.readString(temp.resolve("c/manifest.csv")));
    }

    @Test
    void theManifestHasConsistentPatientsStudiesAndLabels() throws Exception {
        SynthResult result = SyntheticCollection.write(temp.resolve("m"), SynthSpec.defaults(40));
        Manifest manifest = Manifest.readCsv(result.manifest(), ManifestOptions.defaults());
        assertEquals(List.of("nodule", "normal"), manifest.classNames());
        assertEquals(result.images(), manifest.size());
        assertTrue(result.images() >= 40 && result.images() <= 120);
        assertTrue(result.imagesPerClass().get("nodule") > 0 && result.imagesPerClass().get("normal") > 0);
        Set<String> studies = new HashSet<>();
        for (ManifestEntry entry : manifest.entries()) {
            DicomObject dicom = DicomReader.builder().stopBeforePixelData(true).build().read(entry.path());
            assertEquals(entry.patientId(), dicom.getString(Tag.PatientID));
            assertEquals(entry.studyUid(), dicom.getString(Tag.StudyInstanceUID));
            assertTrue(dicom.getString(Tag.PatientName).startsWith("SYNTHETIC^PATIENT"));
            studies.add(entry.studyUid());
        }
        assertEquals(result.studies(), studies.size());
    }

    @Test
    void refusesAFolderThatIsNotEmpty() throws Exception {
        Files.writeString(temp.resolve("keep.txt"), "x");
        RoentgenException e = assertThrows(RoentgenException.class, () -> SyntheticCollection.write(temp, SynthSpec.defaults(1)));
        assertTrue(e.getMessage().contains("not empty"));
    }

    static List<Path> dicomFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    private static List<Path> relativeFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
