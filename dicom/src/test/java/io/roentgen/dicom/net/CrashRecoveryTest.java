package io.roentgen.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;

/**
 * kill -9 while storescu sends 200 instances: every instance storescu saw acknowledged (0000) is
 * in the spool and parses after the restart, and is scored exactly once across the two runs.
 */
class CrashRecoveryTest {
    private static final int INSTANCES = 200;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedInstanceSurvivesAKillAndIsScoredOnce() throws Exception {
        SyntheticStudy.Study study = SyntheticStudy.write(tmp.resolve("study"), INSTANCES, 256);
        Map<String, String> sopByFile = new HashMap<>();
        for (int i = 0; i < INSTANCES; i++) {
            sopByFile.put(study.files().get(i).toString(), study.sopInstanceUids().get(i));
        }
        Path spool = tmp.resolve("spool");
        Process node = startNode(spool, tmp.resolve("port1"));
        Process storescu;
        Path storescuLog = tmp.resolve("storescu.log");
        try {
            int port = awaitPort(tmp.resolve("port1"), node);
            storescu = new ProcessBuilder("storescu", "-v", "-aet", "MODALITY", "-aec", "ROENTGEN", "+sd",
                    "127.0.0.1", Integer.toString(port), tmp.resolve("study").toString())
                    .redirectErrorStream(true).redirectOutput(storescuLog.toFile()).start();
            awaitSpooled(spool, INSTANCES / 4, storescu);
        } finally {
            node.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
            node.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(storescu.waitFor(60, TimeUnit.SECONDS), "storescu ends once its peer is gone");
        Set<String> acknowledged = acknowledged(Files.readAllLines(storescuLog), sopByFile);
        // The kill came after a quarter was on disk; the last of those may not have been answered yet.
        assertTrue(acknowledged.size() >= INSTANCES / 8 && acknowledged.size() < INSTANCES,
                "killed mid-study: " + acknowledged.size() + " acknowledged");

        Process restarted = startNode(spool, tmp.resolve("port2"));
        try {
            awaitPort(tmp.resolve("port2"), restarted);
            Path scored = spool.resolve("scored.log");
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < giveUp && !scoredAll(scored, acknowledged)) {
                Thread.sleep(50);
            }
            List<String> lines = Files.readAllLines(scored);
            Set<String> unique = new HashSet<>(lines);
            assertEquals(unique.size(), lines.size(), "no instance is scored twice");
            assertTrue(unique.containsAll(acknowledged), "every acknowledged instance is scored");
        } finally {
            restarted.destroyForcibly();
            restarted.waitFor(30, TimeUnit.SECONDS);
        }
        Path studyDir = spool.resolve("studies").resolve("MODALITY").resolve(study.studyUid());
        for (String sop : acknowledged) {
            Path file = studyDir.resolve(sop + ".dcm");
            assertEquals(sop, DicomReader.defaults().read(file).getString(Tag.SOPInstanceUID));
        }
        try (Stream<Path> parts = Files.list(spool.resolve("incoming"))) {
            assertEquals(0, parts.count(), "the restart deleted what was never acknowledged");
        }
    }

    /** SOP Instance UIDs of the files storescu -v reports a success response for. */
    private static Set<String> acknowledged(List<String> log, Map<String, String> sopByFile) {
        Set<String> acked = new HashSet<>();
        String current = null;
        for (String line : log) {
            if (line.startsWith("I: Sending file: ")) {
                current = line.substring("I: Sending file: ".length()).strip();
            } else if (line.startsWith("I: Received Store Response (Success)") && current != null) {
                acked.add(sopByFile.get(current));
            }
        }
        acked.remove(null);
        return acked;
    }

    private static boolean scoredAll(Path scored, Set<String> acknowledged) throws Exception {
        return Files.exists(scored) && new HashSet<>(Files.readAllLines(scored)).containsAll(acknowledged);
    }

    private static Process startNode(Path spool, Path portFile) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                SpoolServerMain.class.getName(), spool.toString(), portFile.toString()));
        File log = portFile.resolveSibling(portFile.getFileName() + ".log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static int awaitPort(Path portFile, Process node) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile)) {
            assertTrue(node.isAlive() && System.nanoTime() < giveUp, "the node did not start");
            Thread.sleep(20);
        }
        return Integer.parseInt(Files.readString(portFile).strip());
    }

    private static void awaitSpooled(Path spool, int count, Process storescu) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < giveUp) {
            if (spooled(spool) >= count) {
                return;
            }
            assertTrue(storescu.isAlive(), "storescu ended before the kill");
            Thread.sleep(2);
        }
        throw new AssertionError("only " + spooled(spool) + " instances spooled within 30 s");
    }

    private static long spooled(Path spool) throws Exception {
        Path studies = spool.resolve("studies");
        if (!Files.exists(studies)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(studies)) {
            return walk.filter(p -> p.toString().endsWith(".dcm")).count();
        }
    }
}
