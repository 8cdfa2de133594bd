package io.roentgen.cli;

import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomSummary;
import io.roentgen.engine.RoentgenException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code roentgen dicom info}: what a file is, without decoding pixels. Files that cannot be read
 * are reported one line each and make the exit code 1; the others are still shown.
 */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Summarise DICOM files: UIDs, modality, SOP class, geometry, transfer syntax, window, rescale.",
        footer = {"", "Examples:", "  roentgen dicom info scan.dcm", "  roentgen dicom info series/*.dcm --json"})
final class DicomInfoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "DICOM files.")
    List<Path> files;

    @Option(names = "--json", description = "Print a JSON array, one object per file.")
    boolean json;

    @Override
    public Integer call() {
        DicomReader reader = DicomReader.builder().stopBeforePixelData(true).build();
        List<Object> results = new ArrayList<>();
        int failures = 0;
        PrintStream out = System.out;
        for (Path file : files) {
            try {
                DicomSummary summary = DicomSummary.of(DicomFiles.read(file, reader));
                if (json) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("file", file.toString());
                    entry.putAll(summary.toMap(true));
                    results.add(entry);
                } else {
                    print(file, summary, out);
                }
            } catch (RoentgenException e) {
                failures++;
                System.err.println("roentgen: " + e.getMessage());
                if (json) {
                    results.add(Map.of("file", file.toString(), "error", e.getMessage()));
                }
            }
        }
        if (json) {
            out.println(Json.of(results));
        }
        return failures == 0 ? 0 : ErrorHandler.RUNTIME_ERROR;
    }

    private static void print(Path file, DicomSummary s, PrintStream out) {
        out.println(file);
        row(out, "Patient ID", s.patientId());
        row(out, "Study UID", s.studyInstanceUid());
        row(out, "Series UID", s.seriesInstanceUid());
        row(out, "Instance UID", s.sopInstanceUid());
        row(out, "Modality", s.modality());
        row(out, "SOP class", join(s.sopClassUid(), s.sopClassName()));
        row(out, "Size", s.rows() + " x " + s.columns() + (s.frames() > 1 ? " x " + s.frames() + " frames" : ", 1 frame"));
        row(out, "Transfer syntax", join(s.transferSyntaxUid(), s.transferSyntaxName()));
        row(out, "Photometric", s.photometricInterpretation() + ", " + s.samplesPerPixel()
                + (s.samplesPerPixel() == 1 ? " sample" : " samples"));
        row(out, "Bits", s.bitsStored() + " stored of " + s.bitsAllocated() + " allocated, "
                + (s.signed() ? "signed" : "unsigned"));
        row(out, "Window", s.windowCenter().isEmpty() ? null
                : "center " + values(s.windowCenter()) + ", width " + values(s.windowWidth()));
        row(out, "Rescale", s.rescaleSlope() == null && s.rescaleIntercept() == null ? null
                : "slope " + number(s.rescaleSlope()) + ", intercept " + number(s.rescaleIntercept()));
        row(out, "Pixel data", s.pixelData());
        out.println();
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf("  %-16s %s%n", name, value == null ? "-" : value);
    }

    private static String join(String uid, String name) {
        if (uid == null) {
            return null;
        }
        return name == null ? uid : uid + " (" + name + ")";
    }

    private static String values(List<Double> values) {
        List<String> parts = new ArrayList<>();
        values.forEach(v -> parts.add(number(v)));
        return String.join("\\", parts);
    }

    private static String number(Double v) {
        if (v == null) {
            return "-";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString(v.longValue()) : v.toString();
    }
}
