package io.roentgen.dicom.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real toolkit program (dcmtk, GDCM, python3) from a test and fails loudly when it is not
 * installed: CI installs these in .ci/run, so a missing tool is a broken set-up, never a skip.
 */
public final class ExternalTool {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private ExternalTool() {}

    /** What a finished program left: exit code, stdout and stderr. */
    public record Output(int exitCode, String stdout, String stderr) {}

    /** Runs the command, returns its stdout; throws with stderr when it exits non-zero. */
    public static String run(Path workDir, String... command) throws IOException, InterruptedException {
        Output output = exec(workDir, TIMEOUT, command);
        if (output.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + output.exitCode() + ": " + output.stderr());
        }
        return output.stdout();
    }

    /**
     * Runs the command to its end within {@code timeout} (else kills it and throws). Its output
     * goes to files, so that no read can block on a pipe past the deadline.
     */
    public static Output exec(Path workDir, Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("roentgen-tool-", ".out");
        Path err = Files.createTempFile("roentgen-tool-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(workDir == null ? null : workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IOException(command[0] + " is not installed (bash .ci/run installs it): " + e.getMessage(), e);
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new IOException(String.join(" ", command) + " timed out after " + timeout);
            }
            return new Output(p.exitValue(), text(out), text(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Lenient UTF-8: toolkits print raw bytes of values, which a strict decode would refuse. */
    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
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
