package io.roentgen.datasets.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real toolkit program (dcmtk, GDCM, python3) from a test and fails loudly when it is not
 * installed: CI installs these in .ci/run, so a missing tool is a broken set-up, never a skip.
 */
public final class ExternalTool {
    private ExternalTool() {}

    /** Runs the command, returns its stdout; throws with stderr when it exits non-zero. */
    public static String run(Path workDir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(workDir == null ? null : workDir.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(command[0] + " is not installed (bash .ci/run installs it): " + e.getMessage(), e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                    + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Convenience for list-built commands. */
    public static String run(Path workDir, List<String> command) throws IOException, InterruptedException {
        return run(workDir, command.toArray(new String[0]));
    }

    /** Builds a command list. */
    public static List<String> cmd(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
