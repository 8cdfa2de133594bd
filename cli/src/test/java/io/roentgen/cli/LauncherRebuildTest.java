package io.roentgen.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's rebuild check (./roentgen, needs_build): a copy of the launcher in a small tree
 * laid out like the repository, with a stand-in {@code mvn} that records its call and "builds"
 * the jar by touching it, and a stand-in {@code java} that prints its arguments. A changed
 * source, resource or pom rebuilds; a changed test, document or build output does not.
 */
class LauncherRebuildTest {
    @TempDir
    Path repo;
    @TempDir
    Path logs;
    private Path jar;
    private Path mvnCalls;
    private Path bin;

    @BeforeEach
    void layOutARepository() throws IOException {
        Path real = Path.of("..").toAbsolutePath().normalize();
        LauncherFiles.copy(real, repo);
        for (String file : List.of("pom.xml", "cli/pom.xml", "dicom/pom.xml",
                "dicom/src/main/java/io/roentgen/dicom/Tag.java",
                "dicom/src/main/resources/io/roentgen/dicom/dictionary.txt",
                "dicom/src/test/java/io/roentgen/dicom/TagTest.java",
                "cli/src/main/java/io/roentgen/cli/Main.java", "docs/DECISIONS.md", "dicom/target/classes/Tag.class")) {
            Path p = repo.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "x");
        }
        Path target = Files.createDirectories(repo.resolve("cli/target/native"));
        jar = target.getParent().resolve("roentgen.jar");
        Files.writeString(jar, "jar");
        Files.writeString(target.resolve("pytorch-native-cpu.jar"), "native");
        // Every source older than the jar: a fresh build.
        Instant built = Instant.now().minusSeconds(600);
        try (Stream<Path> all = Files.walk(repo)) {
            for (Path p : all.filter(p -> !p.equals(repo)).toList()) { // folders too: a resource folder counts
                Files.setLastModifiedTime(p, FileTime.from(built.minusSeconds(60)));
            }
        }
        Files.setLastModifiedTime(jar, FileTime.from(built));

        bin = Files.createDirectories(logs.resolve("bin"));
        mvnCalls = logs.resolve("mvn-calls.txt");
        script(bin.resolve("mvn"), "echo \"$PWD $*\" >> '" + mvnCalls + "'\ntouch '" + jar + "'\n");
        script(bin.resolve("java"), "echo \"java $*\"\n");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ChildProcess.Result roentgen(String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", repo.resolve("roentgen").toString());
        builder.command().addAll(List.of(args));
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("ROENTGEN_CDS", "0");
        builder.environment().remove("JAVA");
        builder.environment().remove("ROENTGEN_JAVA_OPTS");
        return ChildProcess.run(builder, logs, Duration.ofSeconds(60));
    }

    private void touch(String file) throws IOException {
        Files.setLastModifiedTime(repo.resolve(file), FileTime.from(Instant.now()));
    }

    private List<String> builds() throws IOException {
        return Files.exists(mvnCalls) ? Files.readAllLines(mvnCalls) : List.of();
    }

    @Test
    void anUpToDateJarRunsWithoutABuild() throws Exception {
        ChildProcess.Result r = roentgen("deid", "in", "--out", "out");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(), builds());
        assertTrue(r.out().strip().endsWith("io.roentgen.cli.Main deid in --out out"), r.out());
    }

    @Test
    void aChangedSourceResourceOrPomRebuildsTheJarBeforeItRuns() throws Exception {
        for (String changed : List.of("dicom/src/main/java/io/roentgen/dicom/Tag.java",
                "dicom/src/main/resources/io/roentgen/dicom/dictionary.txt", "cli/pom.xml", "pom.xml")) {
            Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(300)));
            touch(changed);
            int before = builds().size();
            ChildProcess.Result r = roentgen("--version");
            assertEquals(0, r.code(), r.err());
            assertEquals(before + 1, builds().size(), changed + " changed: one build");
            assertEquals(repo + " -B -q -DskipTests package -pl cli -am", builds().get(before));
            assertTrue(r.err().contains("building the CLI jar"), r.err());
            assertTrue(r.out().contains("io.roentgen.cli.Main --version"), r.out());
            assertEquals(0, roentgen("--version").code());
            assertEquals(before + 1, builds().size(), "the rebuilt jar is newer than " + changed + ": no second build");
        }
    }

    @Test
    void aNewSourceFileRebuilds() throws Exception {
        Path added = repo.resolve("dicom/src/main/java/io/roentgen/dicom/Added.java");
        Files.writeString(added, "x");
        assertEquals(0, roentgen("--version").code());
        assertEquals(1, builds().size());
    }

    @Test
    void testsDocumentsAndBuildOutputsDoNotRebuild() throws Exception {
        touch("dicom/src/test/java/io/roentgen/dicom/TagTest.java");
        touch("docs/DECISIONS.md");
        touch("dicom/target/classes/Tag.class");
        touch("cli/src/main/sh/openmp.sh");
        ChildProcess.Result r = roentgen("--version");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(), builds());
    }

    @Test
    void aMissingJarBuildsAndAFailedBuildStops() throws Exception {
        Files.delete(jar);
        script(bin.resolve("mvn"), "echo \"$PWD $*\" >> '" + mvnCalls + "'\nexit 1\n");
        ChildProcess.Result r = roentgen("--version");
        assertEquals(1, r.code());
        assertEquals(1, builds().size());
        assertTrue(r.err().contains("build failed"), r.err());
        assertFalse(r.out().contains("java"), "nothing runs after a failed build: " + r.out());
    }
}
