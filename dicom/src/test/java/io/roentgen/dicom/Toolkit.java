package io.roentgen.dicom;

import io.roentgen.dicom.testing.ExternalTool;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        ExternalTool.Output output = ExternalTool.exec(workDir, Duration.ofSeconds(120), command);
        return new Result(output.exitCode(), output.stdout(), output.stderr());
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
