package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exports of one project link up, and nothing else does: the same key gives the same UIDs and
 * pseudonyms, a different key different ones; references inside the export point at instances
 * of the export; dates of one patient move by one shift; a second run resumes; sources stay as
 * they were; the mapping file appears only when asked.
 */
class ConsistencyTest {
    private static final String XA = "1.2.840.10008.5.1.4.1.1.12.1";
    static final ProjectKey KEY = new ProjectKey("consistency-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final ProjectKey OTHER_KEY = new ProjectKey("another-project-key-9876543210".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path work;

    private List<Path> inputs() throws Exception {
        Path in = work.resolve("in");
        if (!Files.isDirectory(in)) {
            new SyntheticStudies("1.2.826.0.1.3680043.10.543.21").writeCt(in, 4, 16);
        }
        return DeidBatch.listInputs(List.of(in));
    }

    /**
     * An XA series: its IOD requires the Referenced Image Sequence (Type 1C), so the X/Z/U* row
     * keeps it with its UIDs replaced; in a CT it is Type 3 and goes.
     */
    private List<Path> xaInputs() throws Exception {
        Path in = work.resolve("in-xa");
        new SyntheticStudies("1.2.826.0.1.3680043.10.543.22").writeSeries(in, 4, 16, "XA", XA);
        return DeidBatch.listInputs(List.of(in));
    }

    private Map<String, DicomObject> export(ProjectKey key, Set<DeidOption> options, Path out) throws Exception {
        return export(key, options, out, inputs());
    }

    private Map<String, DicomObject> export(ProjectKey key, Set<DeidOption> options, Path out, List<Path> inputs) throws Exception {
        DeidBatch.Report r = new DeidBatch(new Deidentifier(new DeidConfig(key, options, null, false)), 2).run(inputs, out, p -> { });
        assertEquals(4, r.written() + r.skipped(), r.toString());
        Map<String, DicomObject> bySop = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                DicomObject ds = DicomReader.defaults().read(f);
                bySop.put(ds.getString(Tag.SOPInstanceUID), ds);
                assertEquals(out.resolve(ds.getString(Tag.StudyInstanceUID)).resolve(ds.getString(Tag.SeriesInstanceUID))
                        .resolve(ds.getString(Tag.SOPInstanceUID) + ".dcm"), f, "outputs are named by their new UIDs");
            }
        }
        return bySop;
    }

    @Test
    void sameKeySameUidsAndPseudonymsOtherKeyOthers() throws Exception {
        Map<String, DicomObject> a = export(KEY, Set.of(), work.resolve("a"));
        Map<String, DicomObject> b = export(KEY, Set.of(), work.resolve("b"));
        Map<String, DicomObject> c = export(OTHER_KEY, Set.of(), work.resolve("c"));
        assertEquals(a.keySet(), b.keySet());
        for (String sop : a.keySet()) {
            assertTrue(sop.startsWith("2.25.") && sop.length() <= 64, sop);
            for (int tag : new int[] {Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.FrameOfReferenceUID, Tag.PatientID}) {
                assertEquals(a.get(sop).getString(tag), b.get(sop).getString(tag), Tag.toString(tag));
            }
        }
        Set<String> overlap = new HashSet<>(a.keySet());
        overlap.retainAll(c.keySet());
        assertEquals(Set.of(), overlap, "another key gives other UIDs");
        DicomObject anyA = a.values().iterator().next();
        DicomObject anyC = c.values().iterator().next();
        assertNotEquals(anyA.getString(Tag.StudyInstanceUID), anyC.getString(Tag.StudyInstanceUID));
        assertNotEquals(anyA.getString(Tag.PatientID), anyC.getString(Tag.PatientID), "the Patient ID pseudonym is keyed too");
    }

    @Test
    void referencesPointAtInstancesOfTheExport() throws Exception {
        for (DicomObject ct : export(KEY, Set.of(), work.resolve("refs-ct")).values()) {
            assertFalse(ct.contains(Tag.ReferencedImageSequence), "Type 3 in the CT IOD: X/Z/U* removes it");
        }
        Map<String, DicomObject> out = export(KEY, Set.of(), work.resolve("refs"), xaInputs());
        Set<String> studies = new HashSet<>();
        Set<String> frames = new HashSet<>();
        List<String> references = new ArrayList<>();
        for (DicomObject ds : out.values()) {
            studies.add(ds.getString(Tag.StudyInstanceUID));
            frames.add(ds.getString(Tag.FrameOfReferenceUID));
            collectReferences(ds, references);
            assertEquals(ds.getString(Tag.SOPInstanceUID), ds.fileMeta().getString(Tag.MediaStorageSOPInstanceUID));
        }
        assertEquals(1, studies.size());
        assertEquals(1, frames.size());
        assertEquals(8, references.size(), "two references per instance, at depth 1 and 2");
        assertTrue(out.keySet().containsAll(references), "every Referenced SOP Instance UID is an instance of the export: " + references);
        assertEquals(XA, out.values().iterator().next().getString(Tag.SOPClassUID), "SOP Class UIDs are kept");
    }

    private static void collectReferences(DicomObject ds, List<String> into) {
        ds.forEach(e -> {
            if (e.isSequence()) {
                e.items().forEach(item -> collectReferences(item, into));
            } else if (e.tag() == Tag.ReferencedSOPInstanceUID) {
                into.add(e.getString());
            }
        });
    }

    @Test
    void modifiedDatesMoveByOneShiftPerPatient() throws Exception {
        Map<String, DicomObject> out = export(KEY, Set.of(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES), work.resolve("dates"));
        Set<Long> shifts = new HashSet<>();
        for (DicomObject ds : out.values()) {
            for (int tag : new int[] {Tag.StudyDate, Tag.SeriesDate, Tag.ContentDate}) {
                shifts.add(ChronoUnit.DAYS.between(day(SyntheticStudies.STUDY_DATE), day(ds.getString(tag))));
            }
            assertEquals("MODIFIED", ds.getString(0x00280303));
            assertEquals("", ds.getString(Tag.PatientBirthDate, ""), "the table empties the birth date even with modified dates");
        }
        assertEquals(1, shifts.size(), "one shift: " + shifts);
        long shift = shifts.iterator().next();
        assertTrue(shift <= -1 && shift >= -DateShifter.MAX_SHIFT_DAYS, "shift " + shift);
        assertNotEquals(DateShifter.forPatient(KEY, "PATIENT-A").days(), DateShifter.forPatient(KEY, "PATIENT-B").days(),
                "patients get their own shifts");
    }

    private static LocalDate day(String da) {
        return LocalDate.parse(da, DateTimeFormatter.BASIC_ISO_DATE);
    }

    @Test
    void aSecondRunResumesAndSourcesAreNeverTouched() throws Exception {
        List<Path> in = inputs();
        Map<Path, byte[]> before = new TreeMap<>();
        Map<Path, FileTime> times = new TreeMap<>();
        for (Path f : in) {
            before.put(f, Files.readAllBytes(f));
            times.put(f, Files.getLastModifiedTime(f));
        }
        Path out = work.resolve("resume");
        Deidentifier deid = new Deidentifier(new DeidConfig(KEY, Set.of(), null, false));
        DeidBatch.Report first = new DeidBatch(deid, 2).run(in, out, p -> { });
        Path oneOutput;
        try (Stream<Path> walk = Files.walk(out)) {
            oneOutput = walk.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Files.delete(oneOutput); // as if the first run had stopped before this file
        DeidBatch.Report second = new DeidBatch(deid, 2).run(in, out, p -> { });
        assertEquals(4, first.written());
        assertEquals(1, second.written());
        assertEquals(3, second.skipped());
        assertTrue(Files.isRegularFile(oneOutput));
        try (Stream<Path> walk = Files.walk(out)) {
            assertEquals(List.of(), walk.filter(p -> p.getFileName().toString().endsWith(".part")).toList(), "no temporary file is left");
        }
        for (Path f : in) {
            assertTrue(java.util.Arrays.equals(before.get(f), Files.readAllBytes(f)), f + " changed");
            assertEquals(times.get(f), Files.getLastModifiedTime(f));
        }
    }

    @Test
    void theMappingFileIsWrittenOnlyWhenAskedAndMapsEveryUid() throws Exception {
        Deidentifier deid = new Deidentifier(new DeidConfig(KEY, Set.of(), null, true));
        new DeidBatch(deid, 1).run(inputs(), work.resolve("mapped"), p -> { });
        Path map = work.resolve("map.csv");
        MappingFile.write(map, deid);
        List<String> lines = Files.readAllLines(map);
        assertEquals("kind,original,new", lines.get(0));
        assertTrue(lines.contains("PatientID," + SyntheticStudies.PATIENT_ID + "," + deid.patientIds().get(SyntheticStudies.PATIENT_ID)));
        assertEquals(4 + 3, lines.stream().filter(l -> l.startsWith("UID,")).count(), "4 instances, study, series, frame of reference");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(map)));
        Deidentifier unrecorded = new Deidentifier(new DeidConfig(KEY, Set.of(), null, false));
        new DeidBatch(unrecorded, 1).run(inputs(), work.resolve("unmapped"), p -> { });
        assertEquals(Map.of(), unrecorded.uids().recorded(), "no mapping is kept unless asked");
    }
}
