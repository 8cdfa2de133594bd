package io.roentgen.cli;

import io.roentgen.benchmarks.Stats;
import io.roentgen.benchmarks.decode.DecodeBench;
import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.TransferSyntax;
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
import java.util.function.Function;

/** {@code roentgen bench decode}: files/s and MB/s of read + decode, by transfer syntax. */
@Command(
        name = "decode",
        mixinStandardHelpOptions = true,
        description = "Read and decode DICOM files from the page cache: files/s and MB/s of pixel data, by transfer syntax.",
        footer = {"", "Examples:", "  roentgen bench decode /data/ct-slices", "  roentgen bench decode a.dcm b.dcm --repetitions 10 --json",
            "  roentgen bench decode /data/mixed --plot decode.png"})
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

    @Mixin
    BenchOutput output;

    /** One transfer syntax's figures over the repetitions. */
    record Row(String transferSyntaxUid, String transferSyntaxName, int files, long pixelBytesPerPass,
            Stats.Spread filesPerSecond, Stats.Spread megabytesPerSecond) {
        static Row of(DecodeBench.Result r) {
            return new Row(r.transferSyntaxUid(), r.transferSyntaxName(), r.files(), r.pixelBytesPerPass(),
                    Stats.spread(r.passes().stream().mapToDouble(DecodeBench.Pass::filesPerSecond).toArray()),
                    Stats.spread(r.passes().stream().mapToDouble(DecodeBench.Pass::megabytesPerSecond).toArray()));
        }
    }

    @Override
    public Integer call() throws RoentgenException {
        BenchOutput.checkRepetitions(repetitions);
        if (threads < 1) {
            throw RoentgenException.usage("--threads must be at least 1");
        }
        if (!(warmUpSeconds >= 0)) {
            throw RoentgenException.usage("--warm-up must be 0 or more seconds");
        }
        output.checkPlot();
        List<Path> files = DicomInputs.expand(inputs);
        DecodeBench bench = new DecodeBench(!freshFrames);
        List<String> problems = new ArrayList<>();
        Map<String, List<Path>> groups = bench.groupBySyntax(files, problems);
        problems.forEach(p -> System.err.println("roentgen: skipped " + p));
        if (groups.isEmpty()) {
            throw new RoentgenException("no readable DICOM files in " + inputs);
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<Path>> group : groups.entrySet()) {
            String name = TransferSyntax.nameOf(group.getKey());
            try {
                rows.add(Row.of(bench.run(group.getKey(), name, group.getValue(), repetitions, threads, warmUpSeconds)));
            } catch (IOException | DicomException e) {
                System.err.println("roentgen: " + name + ": " + e.getMessage());
            }
        }
        print(rows, System.out);
        if (output.wantsPlot() && !rows.isEmpty()) {
            LinkedHashMap<String, Function<Row, Stats.Spread>> figures = new LinkedHashMap<>();
            figures.put("MB/s", Row::megabytesPerSecond);
            figures.put("files/s", Row::filesPerSecond);
            output.writePlot(BenchPlots.bars(String.format(Locale.ROOT, "bench decode, %d thread%s", threads,
                    threads == 1 ? "" : "s"), rows, r -> truncate(r.transferSyntaxName()), figures));
        }
        return problems.isEmpty() ? 0 : ErrorHandler.RUNTIME_ERROR;
    }

    private void print(List<Row> rows, PrintStream out) {
        if (output.json) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("threads", threads);
            settings.put("warmUpSeconds", warmUpSeconds);
            settings.put("frames", freshFrames ? "fresh" : "recycled");
            out.println(Json.of(BenchOutput.report("decode", settings, repetitions, rows)));
            return;
        }
        out.printf(Locale.ROOT, "%d thread%s, %d passes; median (min-max) over passes%n", threads, threads == 1 ? "" : "s",
                repetitions);
        out.printf("%-36s %7s %10s %-28s %-26s%n", "transfer syntax", "files", "MB/pass", "files/s", "MB/s");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-36s %7d %10.1f %-28s %-26s%n", truncate(r.transferSyntaxName()), r.files(),
                    r.pixelBytesPerPass() / 1e6, BenchOutput.spread(r.filesPerSecond(), 1),
                    BenchOutput.spread(r.megabytesPerSecond(), 1));
        }
    }

    private static String truncate(String s) {
        return s == null ? "?" : s.length() <= 36 ? s : s.substring(0, 35) + "…";
    }

}
