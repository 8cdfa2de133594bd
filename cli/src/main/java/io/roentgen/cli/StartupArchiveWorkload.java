package io.roentgen.cli;

import io.roentgen.engine.FileTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * What {@code ./roentgen} runs once per built jar under {@code -XX:DumpLoadedClassList}, so that
 * the classes a short command loads go into the class-data-sharing archive that later starts map
 * instead of reading, parsing and verifying them from the jar (cli/src/main/sh/startup-archive.sh;
 * docs/DECISIONS.md, "Class data sharing for the CLI"). It runs {@code --version}, then writes small synthetic CT files and one
 * large enough to be mapped, and de-identifies them: picocli, the data dictionary, the PS3.15 profile table, the reader, the
 * writer and the UID and date mapping, which are most of a short {@code roentgen deid}'s start.
 * Everything it writes goes to a temporary folder that it deletes; it prints nothing.
 */
final class StartupArchiveWorkload {
    private StartupArchiveWorkload() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("roentgen-cds");
        PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            code = run(dir);
        } finally {
            System.setOut(stdout);
            FileTrees.deleteQuietly(dir); // a temporary folder: its removal must not cost the archive
        }
        System.exit(code == 0 ? 0 : 1);
    }

    /** The commands, in one JVM; non-zero when any failed (the launcher then keeps no archive). */
    private static int run(Path dir) throws IOException {
        Path in = dir.resolve("in");
        Path key = dir.resolve("project.key");
        byte[] keyBytes = new byte[32];
        new SecureRandom().nextBytes(keyBytes);
        Files.write(key, keyBytes);
        // One file of 2 MiB as well: the reader maps files from 1 MiB on (FileBytes.MAP_THRESHOLD), and
        // the mapping's classes and the method handles of its lambdas, made at run time when not in
        // the archive, cost 30-40 ms in the first large file of a run.
        Path large = dir.resolve("large");
        return Main.run("--version")
                | Main.run("synth", "--out", in.toString(), "--patients", "2", "--size", "32", "--seed", "1")
                | Main.run("synth", "--out", large.toString(), "--patients", "1", "--size", "1024", "--seed", "2")
                | Main.run("deid", in.toString(), large.toString(), "--out", dir.resolve("out").toString(),
                        "--key-file", key.toString(), "--json");
    }
}
