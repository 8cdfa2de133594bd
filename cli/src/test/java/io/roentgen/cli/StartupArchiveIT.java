package io.roentgen.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's class-data-sharing archive (cli/src/main/sh/startup-archive.sh), in a copy of
 * the launcher with its own cli/target, so that the archive the other tests' starts use is left
 * alone: the first start writes it, later starts map picocli from it, and a damaged archive
 * changes nothing a command prints.
 */
class StartupArchiveIT {
    @TempDir
    Path install;
    @TempDir
    Path logs;
    private Path jar;

    /** The launcher, its sourced scripts and the built jars, laid out as in the repository. */
    @BeforeEach
    void copyTheLauncher() throws IOException {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        LauncherFiles.copy(repo, install);
        Path target = Files.createDirectories(install.resolve("cli/target/native"));
        jar = target.getParent().resolve("roentgen.jar");
        Files.copy(repo.resolve("cli/target/roentgen.jar"), jar);
        Files.createSymbolicLink(target.resolve("pytorch-native-cpu.jar"),
                repo.resolve("cli/target/native/pytorch-native-cpu.jar"));
    }

    private ChildProcess.Result roentgen(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", install.resolve("roentgen").toString());
        builder.command().addAll(List.of(args));
        builder.environment().remove("ROENTGEN_JAVA_OPTS");
        builder.environment().remove("ROENTGEN_CDS");
        builder.environment().putAll(env);
        ChildProcess.Result r = ChildProcess.run(builder, logs, Duration.ofSeconds(120));
        assertEquals(0, r.code(), r.err());
        return r;
    }

    private Path archive() throws IOException {
        try (Stream<Path> files = Files.list(install.resolve("cli/target/cds"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).findFirst().orElseThrow();
        }
    }

    @Test
    void theFirstStartWritesTheArchiveAndLaterStartsMapPicocliFromIt() throws Exception {
        String plain = roentgen(Map.of("ROENTGEN_CDS", "0"), "--version").out();
        assertFalse(Files.exists(install.resolve("cli/target/cds")));

        ChildProcess.Result first = roentgen(Map.of(), "--version");
        assertEquals(plain, first.out());
        assertTrue(Files.size(archive()) > 1_000_000, "an archive of the JDK's and our classes");

        // picocli is compiled for Java 5: the reason the archive is a static one (-Xshare:dump).
        String loads = roentgen(Map.of("ROENTGEN_JAVA_OPTS", "-Xlog:class+load"), "--version").out();
        assertTrue(loads.contains("picocli.CommandLine$Help source: shared objects file"), loads);
        // The outer class too (the largest, 7 ms to parse), which one lambda kept out until it was a loop.
        assertTrue(loads.contains("picocli.CommandLine source: shared objects file"), loads);
        assertTrue(loads.contains("io.roentgen.cli.VersionProvider source: shared objects file"), loads);
    }

    @Test
    void aDamagedOrForeignArchiveChangesNothingACommandPrints() throws Exception {
        roentgen(Map.of(), "--version");
        Path archive = archive();
        String plain = roentgen(Map.of("ROENTGEN_CDS", "0"), "--version").out();
        byte[] good = Files.readAllBytes(archive);
        assertTrue(archive.toFile().setWritable(true)); // -Xshare:dump writes it read-only

        byte[] garbage = new byte[good.length];
        new Random(1).nextBytes(garbage);
        byte[] truncated = Arrays.copyOf(good, good.length / 3);
        for (byte[] damaged : new byte[][] {garbage, truncated}) {
            Files.write(archive, damaged);
            ChildProcess.Result r = roentgen(Map.of(), "--version");
            assertEquals(plain, r.out());
            assertEquals("", r.err().strip());
            assertEquals(damaged.length, Files.size(archive), "a damaged archive newer than the jar is left, not rewritten");
        }

        // The JVM checks the jar itself (size and time): an archive made with another jar of the
        // same name is not used, though the launcher finds it newer than the jar.
        Files.write(archive, good);
        Files.setLastModifiedTime(jar, FileTime.from(Files.getLastModifiedTime(jar).toInstant().minusSeconds(3600)));
        String loads = roentgen(Map.of("ROENTGEN_JAVA_OPTS", "-Xlog:class+load"), "--version").out();
        assertFalse(loads.contains("source: shared objects file"), "classes from an archive of another jar");
        assertTrue(loads.contains("DJL "), loads);
    }

    @Test
    void aRebuiltJarGetsANewArchive() throws Exception {
        roentgen(Map.of(), "--version");
        Path archive = archive();
        Files.setLastModifiedTime(archive, FileTime.from(Files.getLastModifiedTime(jar).toInstant().minusSeconds(60)));
        ChildProcess.Result r = roentgen(Map.of(), "--version");
        assertTrue(r.err().contains("writing the start-up archive"), r.err());
        assertTrue(Files.getLastModifiedTime(archive()).compareTo(Files.getLastModifiedTime(jar)) > 0);
    }
}
