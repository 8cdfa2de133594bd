package io.roentgen.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** dcmtk's command-line peers as the tests drive them: output goes to a file, every wait is bounded. */
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

    /** A storescp as the PACS, AE title PACS, writing what it receives into {@code received}; destroy it when done. */
    public static Process storescp(int port, Path received, Path log) throws Exception {
        return new ProcessBuilder("storescp", "-aet", "PACS", "-od", received.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
