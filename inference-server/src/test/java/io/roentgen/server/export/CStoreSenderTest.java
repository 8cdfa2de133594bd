package io.roentgen.server.export;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.net.DicomScp;
import io.roentgen.dicom.net.ScpConfig;
import io.roentgen.dicom.sr.AlgorithmId;
import io.roentgen.dicom.sr.ClassProbability;
import io.roentgen.dicom.sr.LabelCodes;
import io.roentgen.dicom.sr.MeasurementReportWriter;
import io.roentgen.dicom.sr.ReportOptions;
import io.roentgen.dicom.sr.ScoredImage;
import io.roentgen.dicom.sr.SourceImage;
import io.roentgen.dicom.sr.SrClass;
import io.roentgen.dicom.sr.StudyReport;
import io.roentgen.server.testing.Await;
import io.roentgen.server.testing.SyntheticDicom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dicom://} destinations through the outbox and our C-STORE SCU: a PACS (dcmtk's
 * storescp) that is down when the SR is made gets it once it listens, after a restart of the
 * outbox too; a PACS that rejects the association for good or refuses the SR class puts the SR in
 * {@code failed/} at once instead of retrying it.
 */
class CStoreSenderTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 100);
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.19.7";

    @TempDir
    Path work;

    @Test
    void anSrWaitsForThePacsAndArrivesOnce() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        DicomObject sr = sr();
        ResultDestination pacs = ResultDestination.parse("dicom://STORESCP@127.0.0.1:" + port);
        try (Outbox down = outbox()) {
            down.enqueue(part10(sr), sr.getString(Tag.SOPInstanceUID), pacs);
            Await.until(() -> attempts(down) >= 2, "two refused connections");
        }
        Path received = Files.createDirectories(work.resolve("pacs"));
        Process storescp = new ProcessBuilder("storescp", "-aet", "STORESCP", "-od", received.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(work.resolve("storescp.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try (Outbox restarted = outbox()) {
            Await.until(() -> count(restarted::done) == 1 && count(restarted::pending) == 0, "delivered after the restart");
        } finally {
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.list(received)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all + "\n" + Files.readString(work.resolve("storescp.log")));
            DicomObject got = DicomReader.defaults().read(all.get(0));
            assertEquals(sr.getString(Tag.SOPInstanceUID), got.getString(Tag.SOPInstanceUID));
            assertEquals(SrClass.COMPREHENSIVE_3D.uid(), got.getString(Tag.SOPClassUID));
        }
    }

    /** Our own SCP: a wrong called AE is a permanent reject (1/1/7); an SR is not an image class it takes. */
    @Test
    void permanentRefusalsGoToFailedWithoutRetries() throws Exception {
        DicomObject sr = sr();
        try (DicomScp scp = DicomScp.start(ScpConfig.of("IMAGES", 0, work.resolve("spool")).withMinFreeBytes(0), i -> { });
                Outbox outbox = outbox()) {
            outbox.enqueue(part10(sr), sr.getString(Tag.SOPInstanceUID),
                    ResultDestination.parse("dicom://NOT_IMAGES@127.0.0.1:" + scp.port()));
            outbox.enqueue(part10(sr), sr.getString(Tag.SOPInstanceUID),
                    ResultDestination.parse("dicom://IMAGES@127.0.0.1:" + scp.port()));
            Await.until(() -> count(outbox::failed) == 2, "both refused for good");
            for (OutboxEntry e : outbox.failed()) {
                assertEquals(1, e.attempts(), e.toString());
            }
            String reasons = outbox.failed().toString();
            assertTrue(reasons.contains("rejected") && reasons.contains("does not accept SOP class"), reasons);
            assertEquals(0, scp.metrics().instancesReceived());
        }
    }

    private Outbox outbox() throws IOException {
        return new Outbox(work.resolve("outbox"), List.of(new CStoreSender("ROENTGEN", Duration.ofSeconds(5))), FAST);
    }

    private static DicomObject sr() throws Exception {
        SourceImage source = SourceImage.of(DicomReader.defaults().read(SyntheticDicom.instance(STUDY, 1)));
        StudyReport report = new StudyReport(new AlgorithmId("chest", "1", "ab".repeat(32)), LabelCodes.local(),
                List.of(new ScoredImage(source, List.of(new ClassProbability("normal", 0.25), new ClassProbability("abnormal", 0.75)))));
        return new MeasurementReportWriter(ReportOptions.defaults()).write(report);
    }

    private static byte[] part10(DicomObject sr) throws IOException {
        return DicomWriter.explicitLittleEndian().toByteArray(sr);
    }

    private static int attempts(Outbox outbox) {
        return get(outbox::pending).stream().mapToInt(OutboxEntry::attempts).max().orElse(0);
    }

    private static int count(IoSupplier<List<OutboxEntry>> list) {
        return get(list).size();
    }

    private static List<OutboxEntry> get(IoSupplier<List<OutboxEntry>> list) {
        try {
            return list.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }
}
