package io.roentgen.dicom.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The three validators every SR we write must pass, each catching what the others miss: dcmtk's
 * {@code dsrdump} (the document tree and value types), dicom3tools' {@code dciodvfy} (the IOD's
 * modules and attributes), and PixelMed's {@code DicomSRValidator} (the content against TID 1500).
 * PixelMed runs once for all files: compiling its stylesheets is most of a run (about 15 s of CPU).
 */
public final class SrValidation {
    private static final Duration TIMEOUT = Duration.ofSeconds(240);
    private static final Path PIXELMED = Path.of("/usr/share/java/pixelmed.jar");
    private static final Pattern DCIODVFY_ERROR = Pattern.compile("^Error\\b.*", Pattern.MULTILINE);
    private static final Pattern PIXELMED_ERROR = Pattern.compile("^.*\\bError\\b.*$", Pattern.MULTILINE);

    private SrValidation() {}

    /** Each file's problems from all three validators, prefixed with the tool's name; empty lists are a pass. */
    public static Map<Path, List<String>> problems(List<Path> files) throws IOException, InterruptedException {
        Map<Path, List<String>> all = new LinkedHashMap<>();
        Map<Path, String> pixelmed = pixelmedReports(files);
        for (Path file : files) {
            List<String> problems = new ArrayList<>();
            dsrdump(file).forEach(p -> problems.add("dsrdump: " + p));
            dciodvfy(file).forEach(p -> problems.add("dciodvfy: " + p));
            pixelmedProblems(pixelmed.get(file)).forEach(p -> problems.add("pixelmed: " + p));
            all.put(file, problems);
        }
        return all;
    }

    /** Every problem of every file, one line each with its file name; empty is a pass. */
    public static List<String> allProblems(List<Path> files) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        problems(files).forEach((file, problems) -> problems.forEach(p -> lines.add(file.getFileName() + ": " + p)));
        return lines;
    }

    /** dsrdump must exit 0 and say nothing on stderr (its errors and warnings go there). */
    public static List<String> dsrdump(Path file) throws IOException, InterruptedException {
        ExternalTool.Output out = ExternalTool.exec(null, TIMEOUT, "dsrdump", "-Ee", "-Ec", file.toString());
        List<String> problems = new ArrayList<>();
        if (out.exitCode() != 0) {
            problems.add("exit " + out.exitCode());
        }
        // dcmtk's VR checker cannot check UTF-8 text and says so; that is no finding about the document.
        out.stderr().lines().filter(l -> !l.isBlank() && !l.contains("does not support this Specific Character Set"))
                .forEach(problems::add);
        return problems;
    }

    /** The lines dciodvfy starts with "Error" (it exits 0 with errors too, and warns about much that is fine). */
    public static List<String> dciodvfy(Path file) throws IOException, InterruptedException {
        ExternalTool.Output out = ExternalTool.exec(null, TIMEOUT, "dciodvfy", "-new", file.toString());
        String all = out.stdout() + "\n" + out.stderr();
        return DCIODVFY_ERROR.matcher(all).results().map(m -> m.group()).toList();
    }

    /** PixelMed's findings are its lines with "Error"; a report it did not read as TID 1500 is one too. */
    static List<String> pixelmedProblems(String report) {
        if (report == null) {
            return List.of("no report");
        }
        List<String> problems = new ArrayList<>(PIXELMED_ERROR.matcher(report).results().map(m -> m.group()).toList());
        if (!report.contains("Found Root Template TID_1500")) {
            problems.add("did not find the root template TID 1500:\n" + report);
        }
        return problems;
    }

    /**
     * PixelMed's report per file, from one JVM. It always exits 0, so only the text says anything;
     * Java 17's XPath limits stop its stylesheets unless lifted.
     */
    public static Map<Path, String> pixelmedReports(List<Path> files) throws IOException, InterruptedException {
        Path launcher = Files.createTempFile("PixelMedBatch", ".java");
        try {
            try (InputStream in = SrValidation.class.getResourceAsStream("PixelMedBatch.java")) {
                Files.copy(in, launcher, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djdk.xml.xpathExprGrpLimit=0", "-Djdk.xml.xpathExprOpLimit=0", "-Djdk.xml.xpathTotalOpLimit=0",
                    "-cp", PIXELMED.toString(), launcher.toString()));
            files.forEach(f -> command.add(f.toAbsolutePath().toString()));
            if (!Files.isRegularFile(PIXELMED)) {
                throw new IOException(PIXELMED + " is missing: apt-get install libpixelmed-java (see .ci/run)");
            }
            ExternalTool.Output out = ExternalTool.exec(null, TIMEOUT, command.toArray(String[]::new));
            if (out.exitCode() != 0) {
                throw new IOException("PixelMed's validator failed (" + out.exitCode() + "): " + out.stderr());
            }
            Map<Path, String> reports = new LinkedHashMap<>();
            for (String part : out.stdout().split("(?m)^=== ")) {
                int eol = part.indexOf('\n');
                if (eol > 0) {
                    reports.put(Path.of(part.substring(0, eol)), part.substring(eol + 1));
                }
            }
            Map<Path, String> byGiven = new LinkedHashMap<>();
            files.forEach(f -> byGiven.put(f, reports.get(f.toAbsolutePath())));
            return byGiven;
        } finally {
            Files.deleteIfExists(launcher);
        }
    }

    /** Both text validators' full output for one file, for a failure message. */
    public static String describe(Path file) throws IOException, InterruptedException {
        ExternalTool.Output out = ExternalTool.exec(null, TIMEOUT, "dciodvfy", "-new", file.toString());
        return "dciodvfy:\n" + out.stdout() + out.stderr();
    }
}
