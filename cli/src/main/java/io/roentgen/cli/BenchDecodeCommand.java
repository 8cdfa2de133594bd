package io.roentgen.cli;

import io.roentgen.benchmarks.Stats;
import io.roentgen.benchmarks.decode.DecodeBench;
import io.roentgen.datasets.dicom.DicomException;
import io.roentgen.datasets.dicom.TransferSyntax;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.scoring.DicomInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code roentgen bench decode}: files/s and MB/s of read + decode, by transfer syntax. */
@Command(
        name = "decode",
        mixinStandardHelpOptions = true,
        description = "Read and decode DICOM files from the page cache: files/s and MB/s of pixel data, by transfer syntax.",
        footer = {"", "Examples:", "  roentgen bench decode /data/ct-slices", "  roentgen bench decode a.dcm b.dcm --repetitions 10 --json"})
final class BenchDecodeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "DICOM files, or folders searched recursively.")
    List<Path> inputs;

    @Option(names = "--repetitions", defaultValue = "5", description = "Timed passes after the warm-up (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--warm-up", defaultValue = "2", paramLabel = "SECONDS",
            description = "Untimed passes for at least this long first (at least one pass), so the JIT has compiled the decode loops (default ${DEFAULT-VALUE}).")
    double warmUpSeconds;

    @Option(names = "--threads", defaultValue = "1",
            description = "Threads reading files in parallel, as a loader does (default ${DEFAULT-VALUE}: single-threaded).")
    int threads;

    @Option(names = "--fresh-frames",
            description = "Decode every frame into a newly allocated array instead of recycling the arrays of frames"
                    + " already consumed, as the training loader and the server do.")
    boolean freshFrames;

    @Option(names = "--json", description = "Print JSON with every pass.")
    boolean json;

    @Override
    public Integer call() throws RoentgenException {
        if (repetitions < 1) {
            throw RoentgenException.usage("--repetitions must be at least 1");
        }
        if (threads < 1) {
            throw RoentgenException.usage("--threads must be at least 1");
        }
        if (!(warmUpSeconds >= 0)) {
            throw RoentgenException.usage("--warm-up must be 0 or more seconds");
        }
        List<Path> files = DicomInputs.expand(inputs);
        DecodeBench bench = new DecodeBench(!freshFrames);
        List<String> problems = new ArrayList<>();
        Map<String, List<Path>> groups = bench.groupBySyntax(files, problems);
        problems.forEach(p -> System.err.println("roentgen: skipped " + p));
        if (groups.isEmpty()) {
            throw new RoentgenException("no readable DICOM files in " + inputs);
        }
        List<DecodeBench.Result> results = new ArrayList<>();
        for (Map.Entry<String, List<Path>> group : groups.entrySet()) {
            String name = TransferSyntax.nameOf(group.getKey());
            try {
                results.add(bench.run(group.getKey(), name, group.getValue(), repetitions, threads, warmUpSeconds));
            } catch (IOException | DicomException e) {
                System.err.println("roentgen: " + name + ": " + e.getMessage());
            }
        }
        print(results, System.out);
        return problems.isEmpty() ? 0 : ErrorHandler.RUNTIME_ERROR;
    }

    private void print(List<DecodeBench.Result> results, PrintStream out) {
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (DecodeBench.Result r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("transferSyntaxUid", r.transferSyntaxUid());
                m.put("transferSyntaxName", r.transferSyntaxName());
                m.put("files", r.files());
                m.put("threads", threads);
                m.put("warmUpSeconds", warmUpSeconds);
                m.put("frames", freshFrames ? "fresh" : "pooled");
                m.put("pixelBytesPerPass", r.pixelBytesPerPass());
                m.put("medianFilesPerSecond", median(r, true));
                m.put("medianMegabytesPerSecond", median(r, false));
                m.put("passSeconds", r.passes().stream().map(DecodeBench.Pass::seconds).toList());
                rows.add(m);
            }
            out.println(Json.of(rows));
            return;
        }
        out.printf(Locale.ROOT, "%d thread%s%n", threads, threads == 1 ? "" : "s");
        out.printf("%-36s %7s %10s %12s %12s %s%n", "transfer syntax", "files", "MB/pass", "files/s", "MB/s", "(min-max files/s)");
        for (DecodeBench.Result r : results) {
            double[] fps = r.passes().stream().mapToDouble(DecodeBench.Pass::filesPerSecond).sorted().toArray();
            out.printf(Locale.ROOT, "%-36s %7d %10.1f %12.1f %12.1f (%.1f-%.1f)%n", truncate(r.transferSyntaxName()),
                    r.files(), r.pixelBytesPerPass() / 1e6, median(r, true), median(r, false), fps[0], fps[fps.length - 1]);
        }
    }

    private static double median(DecodeBench.Result r, boolean files) {
        return Stats.median(r.passes().stream().mapToDouble(p -> files ? p.filesPerSecond() : p.megabytesPerSecond()).toArray());
    }

    private static String truncate(String s) {
        return s == null ? "?" : s.length() <= 36 ? s : s.substring(0, 35) + "…";
    }

}
