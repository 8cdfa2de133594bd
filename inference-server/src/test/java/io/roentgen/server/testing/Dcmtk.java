package io.roentgen.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.sr.ReportOptions;
import io.roentgen.server.export.Backoff;
import io.roentgen.server.export.CStoreSender;
import io.roentgen.server.export.Outbox;
import io.roentgen.server.export.ResultDestination;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.export.ResultSender;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** dcmtk's command-line peers as the node's tests drive them (output to a file, every wait bounded), and the exporter that sends to them. */
public final class Dcmtk {
    private Dcmtk() {}

    /** Sends every file under {@code dir} to {@code calledAe} on loopback as MODALITY; fails the test unless storescu exits 0. */
    public static void storescu(String calledAe, int port, Path dir) throws Exception {
        File log = File.createTempFile("storescu", ".log");
        try {
            Process p = new ProcessBuilder("storescu", "-aet", "MODALITY", "-aec", calledAe, "+sd", "127.0.0.1",
                    Integer.toString(port), dir.toString()).redirectErrorStream(true).redirectOutput(log).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "storescu finished");
            assertEquals(0, p.exitValue(), Files.readString(log.toPath()));
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }

    /**
     * The SR exporter the node's tests use: our C-STORE SCU as {@code callingAe} to {@code destination},
     * through an outbox under {@code work} that retries every 100-500 ms.
     */
    public static ResultExporter cStoreExporter(Path work, String callingAe, String destination) throws Exception {
        List<ResultSender> senders = List.of(new CStoreSender(callingAe, Duration.ofSeconds(10)));
        Outbox outbox = new Outbox(work.resolve("outbox"), senders, new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 100));
        return new ResultExporter(ReportOptions.defaults(), List.of(ResultDestination.parse(destination)), senders, outbox);
    }

    /** A storescp as the PACS, AE title PACS, writing what it receives into {@code received}; destroy it when done. */
    public static Process storescp(int port, Path received, Path log) throws Exception {
        return new ProcessBuilder("storescp", "-aet", "PACS", "-od", received.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
