package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a batch does with inputs that are not de-identifiable instances: it reads each file once,
 * whole, and only when that fails reads the header alone to tell a refusal (not DICOM, not a
 * composite instance) or a finished output from a failure.
 */
class BatchInputsTest {
    @TempDir
    Path work;

    @Test
    void notDicomNotCompositeAndUnreadableFilesAreRefusedOrFailedAndTheRestWritten() throws Exception {
        Path in = work.resolve("in");
        List<Path> good = new SyntheticStudies("1.2.826.0.1.3680043.10.543.77").writeCt(in, 2, 600);
        Files.writeString(in.resolve("notes.txt"), "not a DICOM file at all, just some text\n");
        DicomObject noUids = new DicomObject();
        noUids.putString(Tag.PatientName, VR.PN, "QUILLANDER^ZEPHYRINA");
        try (OutputStream out = Files.newOutputStream(in.resolve("raw.dcm"))) {
            DicomWriter.explicitLittleEndian().writeDataSet(noUids, out);
        }
        // Its header reads, its Pixel Data is cut short: a failure, not a refusal.
        Path cut = in.resolve("cut.dcm");
        Files.copy(good.get(1), cut);
        try (FileChannel channel = FileChannel.open(cut, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(cut) - 10);
        }
        Files.delete(good.get(1));

        DeidBatch batch = new DeidBatch(new Deidentifier(new DeidConfig(
                new ProjectKey("batch-inputs-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), Set.of(), null, false)), 2);
        DeidBatch.Report r = batch.run(DeidBatch.listInputs(List.of(in)), work.resolve("out"), p -> { });

        assertEquals(4, r.total(), r.toString());
        assertEquals(1, r.written(), r.toString());
        assertEquals(2, r.refused().size(), r.toString());
        assertEquals(in.resolve("notes.txt"), r.refused().get(0).file());
        assertTrue(r.refused().get(0).reason().startsWith("not a DICOM file: "), r.refused().get(0).reason());
        assertEquals(in.resolve("raw.dcm"), r.refused().get(1).file());
        assertEquals("no SOP Class/Instance UID: not a composite instance", r.refused().get(1).reason());
        assertEquals(1, r.failed().size(), r.toString());
        assertEquals(cut, r.failed().get(0).file());

        // The run again: the written file is done, the others come out as before.
        DeidBatch.Report again = batch.run(DeidBatch.listInputs(List.of(in)), work.resolve("out"), p -> { });
        assertEquals(0, again.written(), again.toString());
        assertEquals(1, again.skipped(), again.toString());
        assertEquals(r.refused(), again.refused());
        assertEquals(1, again.failed().size(), again.toString());
    }
}
