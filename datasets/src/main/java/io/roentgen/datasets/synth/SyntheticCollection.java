package io.roentgen.datasets.synth;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.EncapsulatedPixelData;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.codec.rle.RleEncoder;
import io.roentgen.dicom.ImageDescriptor;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a synthetic DICOM collection and its {@code manifest.csv}: patients, each with 1 or 2
 * studies of one series, 1 to 3 images per patient, UIDs consistent across the hierarchy. The
 * label belongs to the study (a positive study shows its finding in each of its images, at a new
 * position each time). Everything is drawn from random generators seeded by (seed, patient), so
 * the output is the same bytes for the same spec whatever the number of threads; patients are
 * written in parallel.
 *
 * <p>Layout: {@code DIR/patient-0007/study-1/series-1/image-1.dcm}. Patient names and IDs are
 * obviously synthetic ({@code SYNTHETIC^PATIENT0007}, {@code SYNTH0007}).
 */
public final class SyntheticCollection {
    public static final String MANIFEST = "manifest.csv";
    private static final String MANUFACTURER = "ROENTGEN SYNTHETIC";
    private static final LocalDate FIRST_STUDY_DAY = LocalDate.of(2020, 1, 1);

    private final SynthSpec spec;
    private final SynthUids uids;
    private final DicomWriter writer;
    private final String digits;

    /** One image's manifest row. */
    private record Row(String path, String label, String patientId, String studyUid, List<Lesion> lesions) {}

    private SyntheticCollection(SynthSpec spec) {
        this.spec = spec;
        this.uids = new SynthUids(spec.seed());
        this.writer = DicomWriter.of(spec.encoding().transferSyntax());
        this.digits = "%0" + Math.max(4, Integer.toString(spec.patients()).length()) + "d";
    }

    /**
     * Writes the collection into {@code directory}, which must be absent or empty.
     *
     * @throws RoentgenException when the folder is not empty or a file cannot be written
     */
    public static SynthResult write(Path directory, SynthSpec spec) throws RoentgenException {
        checkEmpty(directory);
        SyntheticCollection collection = new SyntheticCollection(spec);
        try {
            Files.createDirectories(directory);
            List<List<Row>> perPatient = IntStream.range(0, spec.patients()).parallel()
                    .mapToObj(p -> collection.writePatient(directory, p)).toList();
            List<Row> rows = perPatient.stream().flatMap(List::stream).toList();
            Path manifest = directory.resolve(MANIFEST);
            writeManifest(manifest, rows);
            return collection.result(manifest, rows);
        } catch (IOException | UncheckedIOException e) {
            throw new RoentgenException(directory + ": cannot write the synthetic collection: " + e.getMessage(), false, e);
        }
    }

    private static void checkEmpty(Path directory) throws RoentgenException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> children = Files.list(directory)) {
            if (children.findAny().isPresent()) {
                throw RoentgenException.usage(directory + " is not empty: synth writes into a new or empty folder");
            }
        } catch (IOException e) {
            throw new RoentgenException(directory + ": cannot list: " + e.getMessage(), false, e);
        }
    }

    private List<Row> writePatient(Path directory, int patient) {
        SplittableRandom random = new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + patient);
        String number = String.format(digits, patient + 1);
        String patientId = "SYNTH" + number;
        DicomObject patientModule = patientModule(number, patientId, random);
        int studies = random.nextDouble() < 0.3 ? 2 : 1;
        int imagesLeft = 1 + random.nextInt(3);
        List<Row> rows = new ArrayList<>();
        for (int study = 1; study <= studies; study++) {
            int images = study == studies ? Math.max(1, imagesLeft) : Math.max(1, imagesLeft / 2);
            imagesLeft -= images;
            int findingClass = random.nextDouble() < spec.prevalence() ? 1 + random.nextInt(spec.classes().size() - 1) : 0;
            rows.addAll(writeStudy(directory, patient, study, images, findingClass, patientModule, random));
        }
        return rows;
    }

    private List<Row> writeStudy(Path directory, int patient, int study, int images, int findingClass,
                                 DicomObject patientModule, SplittableRandom random) {
        String studyUid = uids.study(patient, study);
        boolean monochrome1 = spec.modality() == SynthModality.CR && random.nextDouble() < 0.3;
        LocalDate day = FIRST_STUDY_DAY.plusDays(random.nextInt(1500));
        Path folder = directory.resolve("patient-" + String.format(digits, patient + 1))
                .resolve("study-" + study).resolve("series-1");
        List<Row> rows = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            for (int instance = 1; instance <= images; instance++) {
                DicomObject dicom = instance(patientModule, patient, study, instance, day, monochrome1);
                float[] hu;
                List<Lesion> lesions;
                if (spec.difficulty() == SynthSpec.Difficulty.HARD) {
                    HardPhantom.Image image = HardPhantom.paint(spec.size(), random, findingClass > 0, spec.contrast());
                    hu = image.hu();
                    lesions = image.lesions();
                } else {
                    Phantom.Painted painted = Phantom.paint(spec.size(), random, findingClass);
                    hu = painted.hu();
                    lesions = painted.lesions();
                }
                putPixels(dicom, spec.modality().toStored(hu, monochrome1), monochrome1);
                Path file = folder.resolve("image-" + instance + ".dcm");
                writer.write(dicom, file);
                rows.add(new Row(directory.relativize(file).toString().replace('\\', '/'),
                        spec.classes().get(findingClass), patientModule.getString(Tag.PatientID), studyUid, lesions));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static DicomObject patientModule(String number, String patientId, SplittableRandom random) {
        DicomObject d = new DicomObject();
        d.putString(Tag.PatientName, "SYNTHETIC^PATIENT" + number);
        d.putString(Tag.PatientID, patientId);
        d.putString(Tag.PatientBirthDate, date(LocalDate.of(1940, 1, 1).plusDays(random.nextInt(20000))));
        d.putString(Tag.PatientSex, random.nextBoolean() ? "F" : "M");
        return d;
    }

    private DicomObject instance(DicomObject patientModule, int patient, int study, int instance,
                                 LocalDate day, boolean monochrome1) {
        SynthModality modality = spec.modality();
        DicomObject d = new DicomObject();
        d.putString(Tag.SpecificCharacterSet, "ISO_IR 100");
        d.putString(Tag.ImageType, modality.imageType());
        d.putString(Tag.SOPClassUID, modality.sopClassUid());
        d.putString(Tag.SOPInstanceUID, uids.instance(patient, study, 1, instance));
        d.putString(Tag.StudyDate, date(day));
        d.putString(Tag.SeriesDate, date(day));
        d.putString(Tag.StudyTime, "090000");
        d.putString(Tag.AccessionNumber, "SYN" + String.format(digits, patient + 1) + study);
        d.putString(Tag.Modality, modality.name());
        d.putString(Tag.Manufacturer, MANUFACTURER);
        d.putString(Tag.ReferringPhysicianName, "");
        d.putString(Tag.StudyDescription, "SYNTHETIC CHEST");
        d.putString(Tag.SeriesDescription, "SYNTHETIC " + modality.name());
        for (int tag : new int[] {Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex}) {
            d.putString(tag, patientModule.getString(tag, ""));
        }
        d.putString(Tag.BodyPartExamined, "CHEST");
        d.putString(Tag.StudyInstanceUID, uids.study(patient, study));
        d.putString(Tag.SeriesInstanceUID, uids.series(patient, study, 1));
        d.putString(Tag.StudyID, Integer.toString(study));
        d.putString(Tag.SeriesNumber, "1");
        d.putString(Tag.InstanceNumber, Integer.toString(instance));
        d.putString(Tag.PixelSpacing, "0.7", "0.7");
        d.putString(Tag.WindowCenter, Integer.toString(modality.windowCenter()));
        d.putString(Tag.WindowWidth, Integer.toString(modality.windowWidth()));
        if (modality == SynthModality.CT) {
            d.putString(Tag.RescaleIntercept, Integer.toString(SynthModality.CT_INTERCEPT));
            d.putString(Tag.RescaleSlope, "1");
            d.putString(Tag.RescaleType, "HU");
        }
        return d;
    }

    private void putPixels(DicomObject d, byte[] stored, boolean monochrome1) throws IOException {
        String photometric = monochrome1 ? "MONOCHROME1" : "MONOCHROME2";
        int size = spec.size();
        d.putInts(Tag.SamplesPerPixel, 1);
        d.putString(Tag.PhotometricInterpretation, photometric);
        d.putInts(Tag.Rows, size);
        d.putInts(Tag.Columns, size);
        d.putInts(Tag.BitsAllocated, 16);
        d.putInts(Tag.BitsStored, 12);
        d.putInts(Tag.HighBit, 11);
        d.putInts(Tag.PixelRepresentation, 0);
        if (spec.encoding() == SynthEncoding.RLE) {
            ImageDescriptor image = new ImageDescriptor(size, size, 1, 16, 12, 11, false, 0, photometric, 1);
            try {
                d.putEncapsulatedPixelData(EncapsulatedPixelData.ofFrames(List.of(new RleEncoder().encode(stored, image))));
            } catch (DicomException e) {
                throw new IOException("RLE encoding failed: " + e.getMessage(), e);
            }
        } else {
            d.putPixelData(VR.OW, stored);
        }
    }

    private SynthResult result(Path manifest, List<Row> rows) {
        Map<String, Integer> perClass = new LinkedHashMap<>();
        spec.classes().forEach(c -> perClass.put(c, 0));
        rows.forEach(r -> perClass.merge(r.label(), 1, Integer::sum));
        int studies = (int) rows.stream().map(Row::studyUid).distinct().count();
        return new SynthResult(manifest, spec.patients(), studies, rows.size(), perClass);
    }

    private static void writeManifest(Path manifest, List<Row> rows) throws IOException {
        try (Writer out = Files.newBufferedWriter(manifest, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            csv.printRecord("path", "label", "patient_id", "study_uid", SynthLesions.COLUMN);
            for (Row row : rows) {
                csv.printRecord(row.path(), row.label(), row.patientId(), row.studyUid(), SynthLesions.format(row.lesions()));
            }
        }
    }

    private static String date(LocalDate day) {
        return String.format("%04d%02d%02d", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
    }
}
