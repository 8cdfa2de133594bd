package io.roentgen.dicom.deid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Synthetic studies seeded with distinctive names, IDs, birth dates, addresses, accession
 * numbers and UIDs (top level, sequence items three deep, private tags and a private sequence,
 * descriptors, file names) are de-identified; then no output byte sequence may hold any of them:
 * the raw bytes of every output file are searched, not the parsed values (the values as written,
 * padded to even length, contain the unpadded value, so this covers the padded forms too).
 */
class LeakTest {
    static final ProjectKey KEY = new ProjectKey("leak-test-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path work;

    @Test
    void basicProfileLeavesNoIdentifierInAnyByte() throws Exception {
        assertNoLeak(EnumSet.noneOf(DeidOption.class), true);
    }

    @Test
    void optionsThatKeepMoreStillLeaveNoIdentifier() throws Exception {
        assertNoLeak(EnumSet.of(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES, DeidOption.CLEAN_DESCRIPTORS,
                DeidOption.RETAIN_SAFE_PRIVATE, DeidOption.RETAIN_PATIENT_CHARACTERISTICS, DeidOption.CLEAN_STRUCTURED_CONTENT), true);
    }

    private void assertNoLeak(Set<DeidOption> options, boolean uidsToo) throws Exception {
        SyntheticStudies study = new SyntheticStudies("1.2.826.0.1.3680043.10.543.11");
        Path in = work.resolve("in");
        study.writeCt(in.resolve(SyntheticStudies.FAMILY), 3, 16);
        study.writeUltrasound(in);
        Path out = work.resolve("out-" + options.size());
        DeidBatch.Report report = new DeidBatch(new Deidentifier(new DeidConfig(KEY, options, null, false)), 2)
                .run(DeidBatch.listInputs(List.of(in)), out, p -> { });
        assertEquals(3, report.written(), report.toString());
        assertEquals(1, report.refused().size(), "the ultrasound image is refused: " + report);

        List<String> seeds = new ArrayList<>(SyntheticStudies.identifiers());
        if (uidsToo) {
            seeds.add(study.studyUid);
            seeds.add(study.seriesUid);
            seeds.add(study.frameOfReferenceUid);
            seeds.addAll(study.sopUids);
        }
        assertEveryIdentifierIsInTheInput(in, seeds);
        List<Path> outputs;
        try (Stream<Path> walk = Files.walk(out)) {
            outputs = walk.filter(Files::isRegularFile).toList();
        }
        assertEquals(3, outputs.size());
        List<String> leaks = new ArrayList<>();
        for (Path f : outputs) {
            byte[] bytes = Files.readAllBytes(f);
            for (String seed : seeds) {
                if (indexOf(bytes, seed.getBytes(StandardCharsets.ISO_8859_1)) >= 0) {
                    leaks.add(out.relativize(f) + " holds " + seed);
                }
            }
            for (String seed : SyntheticStudies.identifiers()) {
                assertTrue(!out.relativize(f).toString().contains(seed), "an output path holds " + seed);
            }
        }
        assertEquals(List.of(), leaks);
    }

    /** Guards the test itself: each value it looks for was really written into the inputs. */
    private static void assertEveryIdentifierIsInTheInput(Path in, List<String> seeds) throws Exception {
        List<byte[]> inputs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(in)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                inputs.add(Files.readAllBytes(f));
            }
        }
        for (String seed : seeds) {
            assertTrue(inputs.stream().anyMatch(b -> indexOf(b, seed.getBytes(StandardCharsets.ISO_8859_1)) >= 0), "input lacks " + seed);
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
