package io.roentgen.dicom.sr;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.testing.SrGroups;
import io.roentgen.dicom.testing.SrValidation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every report shape we write passes dcmtk's dsrdump, dicom3tools' dciodvfy and PixelMed's TID 1500
 * validator, and says what it was given: codes, probabilities, references, patient and study.
 */
class MeasurementReportTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.1137.1";
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String SHA = "0123456789abcdef".repeat(4);

    @TempDir
    Path work;

    static DicomObject ctImage(int i, boolean fullHeader) {
        DicomObject d = new DicomObject();
        d.putString(Tag.SOPClassUID, VR.UI, CT);
        d.putString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1137.9." + i);
        d.putString(Tag.StudyInstanceUID, VR.UI, STUDY);
        d.putString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1137.2." + (i % 2));
        d.putString(Tag.Modality, VR.CS, "CT");
        if (fullHeader) {
            d.putString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
            d.putString(Tag.PatientName, VR.PN, "Müller^Jörg");
            d.putString(Tag.PatientID, VR.LO, "PID-42");
            d.putString(Tag.PatientBirthDate, VR.DA, "19700101");
            d.putString(Tag.PatientSex, VR.CS, "M");
            d.putString(Tag.StudyDate, VR.DA, "20260102");
            d.putString(Tag.StudyTime, VR.TM, "101500");
            d.putString(Tag.AccessionNumber, VR.SH, "ACC7");
            d.putString(0x00200010, VR.SH, "S1");
            d.putString(Tag.ReferringPhysicianName, VR.PN, "Doe^Jane");
        }
        return d;
    }

    static StudyReport report(boolean fullHeader, LabelCodes codes) {
        return new StudyReport(new AlgorithmId("chest", "3", SHA), codes, List.of(
                new ScoredImage(SourceImage.of(ctImage(1, fullHeader)),
                        List.of(new ClassProbability("normal", 0.25), new ClassProbability("abnormal", 0.75))),
                new ScoredImage(SourceImage.of(ctImage(2, fullHeader)),
                        List.of(new ClassProbability("normal", 0.875), new ClassProbability("abnormal", 0.125))),
                new ScoredImage(SourceImage.of(ctImage(3, fullHeader)),
                        List.of(new ClassProbability("normal", 0.5), new ClassProbability("abnormal", 0.5)))));
    }

    private Path write(StudyReport report, ReportOptions options, String name) throws Exception {
        Path file = work.resolve(name + ".dcm");
        DicomWriter.explicitLittleEndian().write(new MeasurementReportWriter(options).write(report), file);
        return file;
    }

    private DicomObject writeAndRead(StudyReport report, ReportOptions options, String name) throws Exception {
        return DicomReader.defaults().read(write(report, options, name));
    }

    /** One run of the validators over every shape: PixelMed takes ~15 s of CPU to start. */
    @Test
    void everyReportShapePassesDsrdumpDciodvfyAndPixelMed() throws Exception {
        LabelCodes bundleCodes = new LabelCodes(Map.of("abnormal", new Code("263654008", "SCT", "Abnormal"),
                "normal", new Code("a-label-longer-than-sixteen", Codes.LOCAL_SCHEME, "Normal")));
        List<Path> files = List.of(
                write(report(true, LabelCodes.local()), ReportOptions.defaults(), "comprehensive3d"),
                write(report(true, LabelCodes.local()), ReportOptions.defaults().withSrClass(SrClass.COMPREHENSIVE)
                        .withGrouping(ReportOptions.Grouping.STUDY), "comprehensive-per-study"),
                write(report(false, bundleCodes), ReportOptions.defaults(), "bare-header-bundle-codes"),
                broken());
        Map<Path, List<String>> problems = SrValidation.problems(files);
        for (Path good : files.subList(0, 3)) {
            assertEquals(List.of(), problems.get(good), good + "\n" + SrValidation.describe(good));
        }
        // The validators are not blind: each finds the broken document's faults.
        List<String> faults = problems.get(files.get(3));
        for (String tool : List.of("dsrdump: ", "dciodvfy: ", "pixelmed: ")) {
            assertTrue(faults.stream().anyMatch(f -> f.startsWith(tool)), tool + " missed the faults: " + faults);
        }
    }

    /**
     * A report without Completion Flag (dciodvfy), with a NUM that has no value (dsrdump), and with
     * the language as CONTAINS, not HAS CONCEPT MOD (PixelMed: wrong relationship in TID 1500).
     */
    private Path broken() throws Exception {
        DicomObject sr = new MeasurementReportWriter(ReportOptions.defaults()).write(report(true, LabelCodes.local()));
        sr.remove(0x0040A491);
        List<DicomObject> content = new java.util.ArrayList<>(sr.getSequence(0x0040A730));
        SrGroups.children(sr, "121049").get(0).putString(0x0040A010, VR.CS, "CONTAINS");
        DicomObject num = new DicomObject();
        num.putString(0x0040A010, VR.CS, "CONTAINS");
        num.putString(0x0040A040, VR.CS, "NUM");
        num.putSequence(0x0040A043, ContentItem.code(Codes.PROBABILITY));
        content.add(num);
        sr.putSequence(0x0040A730, content);
        Path file = work.resolve("broken.dcm");
        DicomWriter.explicitLittleEndian().write(sr, file);
        return file;
    }

    @Test
    void theReportSaysWhatItWasGiven() throws Exception {
        DicomObject sr = writeAndRead(report(true, LabelCodes.local()), ReportOptions.defaults(), "comprehensive3d");
        assertEquals(SrClass.COMPREHENSIVE_3D.uid(), sr.getString(Tag.SOPClassUID));
        assertEquals("SR", sr.getString(Tag.Modality));
        assertTrue(Uids.isValid(sr.getString(Tag.SOPInstanceUID)) && Uids.isValid(sr.getString(Tag.SeriesInstanceUID)));
        assertNotEquals(ctImage(1, true).getString(Tag.SeriesInstanceUID), sr.getString(Tag.SeriesInstanceUID));
        assertEquals(STUDY, sr.getString(Tag.StudyInstanceUID));
        assertEquals("Müller^Jörg", sr.getString(Tag.PatientName));
        assertEquals("PID-42", sr.getString(Tag.PatientID));
        assertEquals("ACC7", sr.getString(Tag.AccessionNumber));
        assertEquals("20260102", sr.getString(Tag.StudyDate));

        List<SrGroups.Group> groups = SrGroups.read(sr);
        assertEquals(6, groups.size(), groups.toString());
        assertEquals(new SrGroups.Group("abnormal^99ROENTGEN", 0.75, "1^UCUM", List.of("1.2.826.0.1.3680043.10.1137.9.1"),
                List.of("111001=chest", "111003=3", "111002=bundle-sha256=" + SHA)), groups.get(1));
        assertEquals(0.875, groups.get(2).probability());
        assertEquals(List.of("1.2.826.0.1.3680043.10.1137.9.3"), groups.get(5).images());

        DicomObject evidence = sr.getSequence(0x0040A375).get(0);
        assertEquals(STUDY, evidence.getString(Tag.StudyInstanceUID));
        List<DicomObject> series = evidence.getSequence(0x00081115);
        assertEquals(2, series.size(), "the three images lie in two series");
        int referenced = series.stream().mapToInt(s -> s.getSequence(0x00081199).size()).sum();
        assertEquals(3, referenced);
    }

    @Test
    void studyGroupsReportTheHighestProbabilityAndEveryImage() throws Exception {
        ReportOptions options = ReportOptions.defaults().withSrClass(SrClass.COMPREHENSIVE)
                .withGrouping(ReportOptions.Grouping.STUDY);
        DicomObject sr = writeAndRead(report(true, LabelCodes.local()), options, "comprehensive-study");
        assertEquals(SrClass.COMPREHENSIVE.uid(), sr.getString(Tag.SOPClassUID));
        List<SrGroups.Group> groups = SrGroups.read(sr);
        assertEquals(2, groups.size());
        assertEquals("normal^99ROENTGEN", groups.get(0).finding());
        assertEquals(0.875, groups.get(0).probability(), "the study's probability is its highest instance's");
        assertEquals(0.75, groups.get(1).probability());
        assertEquals(3, groups.get(1).images().size());
    }

    @Test
    void bundleCodesAndABareSourceHeader() throws Exception {
        LabelCodes codes = new LabelCodes(Map.of("abnormal", new Code("263654008", "SCT", "Abnormal"),
                "normal", new Code("a-label-longer-than-sixteen", Codes.LOCAL_SCHEME, "Normal")));
        DicomObject sr = writeAndRead(report(false, codes), ReportOptions.defaults(), "bare");
        List<SrGroups.Group> groups = SrGroups.read(sr);
        assertEquals("a-label-longer-than-sixteen^99ROENTGEN", groups.get(0).finding());
        assertEquals("263654008^SCT", groups.get(1).finding());
        assertEquals("", sr.getString(Tag.PatientName, ""), "type 2: present and empty when the source has none");
        assertTrue(sr.contains(Tag.PatientName));
    }

    @Test
    void probabilitiesAreWrittenInTheirShortestExactForm() {
        assertEquals("0.1", ContentItem.decimal(0.1f));
        assertEquals("1", ContentItem.decimal(1.0));
        assertEquals("1.0E-7", ContentItem.decimal(1e-7f));
        float p = 0.123456789f;
        assertEquals(p, Float.parseFloat(ContentItem.decimal(p)));
        assertTrue(ContentItem.decimal(Math.nextDown(1f)).length() <= 16);
    }

    @Test
    void inputsThatCannotMakeAValidReportAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClassProbability("x", 1.5));
        assertThrows(IllegalArgumentException.class, () -> new ClassProbability("x", Double.NaN));
        DicomObject other = ctImage(4, false);
        other.putString(Tag.StudyInstanceUID, VR.UI, "1.2.3.4");
        List<ClassProbability> c = List.of(new ClassProbability("a", 0.5));
        assertThrows(IllegalArgumentException.class, () -> new StudyReport(new AlgorithmId("m", "1", null), LabelCodes.local(),
                List.of(new ScoredImage(SourceImage.of(ctImage(1, false)), c), new ScoredImage(SourceImage.of(other), c))));
        DicomObject noUid = ctImage(5, false);
        noUid.remove(Tag.SOPInstanceUID);
        assertThrows(IllegalArgumentException.class, () -> SourceImage.of(noUid));
    }

    @Test
    void sameSourceBytesAreCopiedNotReencoded() {
        DicomObject source = ctImage(1, true);
        SourceImage image = SourceImage.of(source);
        assertArrayEquals(source.getBytes(Tag.PatientName), image.patientAndStudy().getBytes(Tag.PatientName));
        assertEquals("ISO_IR 192", image.patientAndStudy().getString(Tag.SpecificCharacterSet));
    }
}
