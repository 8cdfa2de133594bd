package io.roentgen.dicom.deid;

import io.roentgen.dicom.testing.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * De-identification makes no file worse: dcmtk's {@code dcmdump} reads every output without an
 * error, and dicom3tools' {@code dciodvfy} finds no error in an output that it did not find in
 * the input (the synthetic input has errors of its own, e.g. a missing Type of Patient ID).
 */
class ValidityTest {
    static final ProjectKey KEY = new ProjectKey("validity-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path work;

    @Test
    void basicProfileAddsNoError() throws Exception {
        check(EnumSet.noneOf(DeidOption.class));
    }

    @Test
    void optionsAddNoError() throws Exception {
        check(EnumSet.of(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES, DeidOption.CLEAN_DESCRIPTORS, DeidOption.RETAIN_SAFE_PRIVATE,
                DeidOption.RETAIN_DEVICE_IDENTITY, DeidOption.RETAIN_PATIENT_CHARACTERISTICS));
    }

    /**
     * Composite actions resolved by the IOD's Types (Type 1 dummy, 2 empty, 3 removed) add no error
     * for an MR and a Comprehensive SR either (their headers are the CT's, so the inputs have errors
     * of their own; the outputs may add none).
     */
    @Test
    void compositeActionsByIodTypeAddNoErrorForMrAndSr() throws Exception {
        SyntheticStudies studies = new SyntheticStudies("1.2.826.0.1.3680043.10.543.53");
        check(studies.writeOne(work.resolve("mr"), "MR", "1.2.840.10008.5.1.4.1.1.4"), EnumSet.noneOf(DeidOption.class));
        check(studies.writeOne(work.resolve("sr"), "SR", "1.2.840.10008.5.1.4.1.1.88.33"), EnumSet.noneOf(DeidOption.class));
    }

    /** Compressed pixel data (RLE, by dcmtk's dcmcrle) passes through untouched, in its own transfer syntax. */
    @Test
    void compressedPixelDataKeepsItsTransferSyntax() throws Exception {
        Path plain = new SyntheticStudies("1.2.826.0.1.3680043.10.543.52").writeCt(work.resolve("plain"), 1, 16).get(0);
        Path rle = work.resolve("rle/ct.dcm");
        Files.createDirectories(rle.getParent());
        ExternalTool.run(null, "dcmcrle", plain.toString(), rle.toString());
        Path output = check(rle, EnumSet.noneOf(DeidOption.class));
        io.roentgen.dicom.DicomObject in = io.roentgen.dicom.DicomReader.defaults().read(rle);
        io.roentgen.dicom.DicomObject out = io.roentgen.dicom.DicomReader.defaults().read(output);
        assertEquals("1.2.840.10008.1.2.5", out.fileMeta().getString(io.roentgen.dicom.Tag.TransferSyntaxUID));
        assertEquals(in.encapsulatedPixelData().fragmentCount(), out.encapsulatedPixelData().fragmentCount());
        for (int i = 0; i < in.encapsulatedPixelData().fragmentCount(); i++) {
            assertTrue(java.util.Arrays.equals(in.encapsulatedPixelData().fragment(i), out.encapsulatedPixelData().fragment(i)), "fragment " + i);
        }
    }

    private void check(Set<DeidOption> options) throws Exception {
        check(new SyntheticStudies("1.2.826.0.1.3680043.10.543.51").writeCt(work.resolve("in"), 1, 16).get(0), options);
    }

    private Path check(Path input, Set<DeidOption> options) throws Exception {
        Path out = work.resolve("out-" + input.getParent().getFileName());
        DeidBatch.Report r = new DeidBatch(new Deidentifier(new DeidConfig(KEY, options, null, false)), 1).run(List.of(input), out, p -> { });
        assertEquals(1, r.written(), r.summary());
        Path output;
        try (Stream<Path> walk = Files.walk(out)) {
            output = walk.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        ExternalTool.Output dump = ExternalTool.exec(null, Duration.ofSeconds(60), "dcmdump", "-q", output.toString());
        assertEquals(0, dump.exitCode(), dump.stderr());
        assertEquals("", dump.stderr().strip(), "dcmdump reports problems");
        Set<String> before = errors(input);
        assertTrue(before.stream().anyMatch(e -> e.contains("TypeOfPatientID")), "dciodvfy ran and reported the input's known error: " + before);
        Set<String> after = errors(output);
        after.removeAll(before);
        assertEquals(Set.of(), after, "errors dciodvfy finds only in the output (input had " + before + ")");
        return output;
    }

    /** dciodvfy's error lines (it writes them to stderr and exits non-zero when there are some). */
    private static Set<String> errors(Path file) throws Exception {
        ExternalTool.Output o = ExternalTool.exec(null, Duration.ofSeconds(60), "dciodvfy", file.toString());
        Set<String> errors = new TreeSet<>();
        for (String line : (o.stdout() + "\n" + o.stderr()).split("\n")) {
            if (line.contains("Error")) {
                errors.add(line.strip());
            }
        }
        return errors;
    }
}
