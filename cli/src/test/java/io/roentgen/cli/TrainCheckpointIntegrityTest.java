package io.roentgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged checkpoints through {@code roentgen train --resume}: each kind of damage (truncation,
 * random bytes in the weights or the optimizer state, a missing file, a corrupt manifest) is
 * refused with one line naming the file; {@code --resume auto} continues from the last intact
 * checkpoint; the manifest is what {@code sha256sum -c} checks; and a resume may train longer.
 */
class TrainCheckpointIntegrityTest {
    @TempDir
    static Path temp;
    private static Path data;
    private static Path finishedRun;

    @BeforeAll
    static void trainTwoEpochs() throws Exception {
        data = temp.resolve("data");
        assertEquals(0, CliRunner.run("synth", "--out", data.toString(), "--patients", "30", "--size", "32").exitCode());
        finishedRun = temp.resolve("finished");
        CliRunner.Result r = CliRunner.run(train(finishedRun, 2));
        assertEquals(0, r.exitCode(), r.err());
    }

    private static String[] train(Path run, int epochs, String... more) {
        String[] args = {"train", "--data", data.resolve("manifest.csv").toString(), "--arch", "small",
            "--image-size", "32", "--epochs", String.valueOf(epochs), "--batch-size", "8", "--out", run.toString(),
            "--seed", "3", "--workers", "1"};
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void eachDamageIsRefusedWithOneLineNamingTheFile() throws Exception {
        assertRefused("truncated-weights", "parameters.bin", f -> truncate(f.resolve("parameters.bin")));
        assertRefused("noisy-weights", "parameters.bin", f -> overwriteMiddle(f.resolve("parameters.bin")));
        assertRefused("noisy-optimizer", "optimizer.bin", f -> overwriteMiddle(f.resolve("optimizer.bin")));
        assertRefused("missing-optimizer", "optimizer.bin", f -> Files.delete(f.resolve("optimizer.bin")));
        assertRefused("corrupt-manifest", "MANIFEST.sha256", f -> overwriteMiddle(f.resolve("MANIFEST.sha256")));
        assertRefused("missing-manifest", "MANIFEST.sha256", f -> Files.delete(f.resolve("MANIFEST.sha256")));
    }

    private void assertRefused(String name, String file, Damage damage) throws Exception {
        Path run = copyOfFinishedRun(name);
        damage.apply(run.resolve("checkpoints/epoch-002"));
        CliRunner.Result r = CliRunner.run(train(run, 2, "--resume"));
        assertEquals(1, r.exitCode(), name + ": " + r.out() + r.err());
        // synth data carries (synthetic) names, so train also warns about identifiers: not the refusal
        List<String> lines = r.err().lines()
                .filter(l -> !l.startsWith("warning: ") && !l.startsWith("  roentgen deid ")).toList();
        assertEquals(1, lines.size(), name + ": " + r.err());
        assertTrue(lines.get(0).startsWith("roentgen: checkpoint ") && lines.get(0).contains("epoch-002 is damaged: " + file),
                name + ": " + lines.get(0));
    }

    @Test
    void resumeAutoContinuesFromTheLastIntactCheckpoint() throws Exception {
        Path run = copyOfFinishedRun("auto");
        overwriteMiddle(run.resolve("checkpoints/epoch-002/parameters.bin"));
        CliRunner.Result r = CliRunner.run(train(run, 2, "--resume", "auto"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("passing over a damaged checkpoint") && r.err().contains("parameters.bin"), r.err());
        assertTrue(r.out().contains("Bundle: "), r.out());
        assertEquals(0, sha256sumCheck(run.resolve("checkpoints/epoch-002")), "epoch 2 trained again and sealed");
    }

    @Test
    void theManifestIsWhatSha256sumChecks() throws Exception {
        for (String checkpoint : List.of("epoch-001", "epoch-002")) {
            assertEquals(0, sha256sumCheck(finishedRun.resolve("checkpoints").resolve(checkpoint)), checkpoint);
        }
    }

    @Test
    void resumeWithMoreEpochsTrainsOn() throws Exception {
        Path run = copyOfFinishedRun("longer");
        CliRunner.Result r = CliRunner.run(train(run, 3, "--resume"));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        assertTrue(Files.isDirectory(run.resolve("checkpoints/epoch-003")));
    }

    @Test
    void trainingIntoAFolderWithCheckpointsWithoutResumeIsOneClearLine() throws Exception {
        Path run = copyOfFinishedRun("again");
        CliRunner.Result r = CliRunner.run(train(run, 2));
        assertEquals(2, r.exitCode(), r.err());
        assertFalse(r.err().contains("unexpected error"), r.err());
        assertTrue(r.err().contains("already holds checkpoints"), r.err());
    }

    private static int sha256sumCheck(Path folder) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sha256sum", "--check", "--quiet", "MANIFEST.sha256").directory(folder.toFile())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sha256sum did not end");
        return p.exitValue();
    }

    private interface Damage {
        void apply(Path checkpoint) throws IOException;
    }

    private static void truncate(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
    }

    /** 64 random bytes over the middle of the file (seeded). */
    private static void overwriteMiddle(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] noise = new byte[Math.min(64, bytes.length / 2)];
        new Random(18).nextBytes(noise);
        System.arraycopy(noise, 0, bytes, bytes.length / 2 - noise.length / 2, noise.length);
        Files.write(file, bytes);
    }

    /** The finished run's folder, copied for one test to damage or extend. */
    private static Path copyOfFinishedRun(String name) throws IOException {
        Path copy = temp.resolve(name);
        try (Stream<Path> files = Files.walk(finishedRun)) {
            // without the bundle: export refuses to overwrite one
            for (Path source : files.filter(f -> !f.startsWith(finishedRun.resolve("bundle")))
                    .sorted(Comparator.naturalOrder()).toList()) {
                Path target = copy.resolve(finishedRun.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return copy;
    }
}
