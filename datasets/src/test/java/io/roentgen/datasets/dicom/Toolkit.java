package io.roentgen.datasets.dicom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs dcmtk and GDCM programs and keeps exit code, stdout and stderr (dcmtk reports "W:" and
 * "E:" lines on stderr even when it exits 0). A missing program is a failure, never a skip.
 */
final class Toolkit {
    private Toolkit() {}

    record Result(int exitCode, String stdout, String stderr) {
        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    static Result run(Path workDir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command));
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(command[0] + " is not installed (dcmtk, libgdcm-tools): " + e.getMessage(), e);
        }
        p.getOutputStream().close();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
    }

    private static final Pattern DUMP_LINE = Pattern.compile("^\\s*\\(([0-9a-f]{4}),([0-9a-f]{4})\\) (\\w\\w) (.*?)\\s+#\\s*(\\d+),");

    /**
     * The value dcmdump prints for the first top-level occurrence of a tag (text between [ ] or
     * the numbers as printed), converted to UTF-8; null when dcmdump does not print it.
     */
    static String dcmdumpValue(Path file, int tag) throws IOException, InterruptedException {
        String t = String.format("%04x,%04x", Tag.group(tag), Tag.element(tag));
        Result r = run(null, "dcmdump", "+U8", "-Un", "+L", "+P", t, file.toString()).ok();
        for (String line : r.stdout().split("\n")) {
            Matcher m = DUMP_LINE.matcher(line);
            if (m.find()) {
                String v = m.group(4);
                if (v.startsWith("[") && v.endsWith("]")) {
                    return v.substring(1, v.length() - 1);
                }
                if (v.startsWith("(no value")) {
                    return "";
                }
                if (v.startsWith("=")) { // a UID dcmtk knows by name: ask for numbers
                    return null;
                }
                return v;
            }
        }
        return null;
    }
}
