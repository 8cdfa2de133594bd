package io.roentgen.datasets.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.dicom.image.PreprocessingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's {@code lesions} column says where each finding was painted: every positive
 * image has 1 to 3 lesions, normal images none, and the image is brighter at each lesion's centre
 * than on average over the image; a manifest without the column still reads.
 */
class SynthLesionsTest {

    @TempDir
    Path temp;

    @Test
    void theManifestLocatesEveryFinding() throws Exception {
        SynthResult synth = SyntheticCollection.write(temp.resolve("synth"), SynthSpec.defaults(30).withSeed(11));
        Manifest manifest = Manifest.readCsv(synth.manifest(), ManifestOptions.defaults());
        Map<Path, List<Lesion>> lesions = SynthLesions.read(synth.manifest());
        Preprocessing pixels = Preprocessing.of(PreprocessingSpec.standard(64, 1));
        int positives = 0;
        for (ManifestEntry entry : manifest.entries()) {
            List<Lesion> found = lesions.get(entry.path().toAbsolutePath().normalize());
            boolean normal = entry.labelNames().equals(List.of("normal"));
            if (normal) {
                assertTrue(found.isEmpty(), entry.path() + ": a normal image with lesions " + found);
                continue;
            }
            positives++;
            assertTrue(found.size() >= 1 && found.size() <= 3, entry.path() + ": " + found);
            FloatImage image = pixels.window(DicomReader.defaults().read(entry.path()), 0);
            double mean = mean(image.data());
            for (Lesion l : found) {
                float centre = image.get(0, (int) l.y(), (int) l.x());
                assertTrue(centre > mean, entry.path() + ": " + l + " is not brighter (" + centre + ") than the mean " + mean);
            }
        }
        assertTrue(positives > 3, "too few positives to check: " + positives);
    }

    @Test
    void aManifestWithoutTheColumnStillReads() throws Exception {
        Path csv = temp.resolve("old.csv");
        Files.writeString(csv, "path,label\na.dcm,normal\n");
        assertTrue(SynthLesions.read(csv).isEmpty());
        assertEquals(List.of(new Lesion(1.5, 2, 3), new Lesion(4, 5, 6)), SynthLesions.parse("1.5 2 3; 4 5 6"));
        assertEquals("1.5 2.0 3.0", SynthLesions.format(List.of(new Lesion(1.5, 2, 3))));
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
