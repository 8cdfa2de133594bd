package io.roentgen.cli;

import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.arch.ModelSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code roentgen models}: the architectures, with their size and cost for an input. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "List the architectures with trainable parameters and multiply-accumulates per image.",
        footer = {"", "GMACs is the number torchvision and ptflops call \"GFLOPs\"; GFLOPs here counts a "
                + "multiply-accumulate as two operations.", "", "Examples:", "  roentgen models",
            "  roentgen models --image-size 512 --channels 1 --classes 14 --json"})
final class ModelsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--image-size", paramLabel = "N", description = "Square input size (default ${DEFAULT-VALUE}).")
    int imageSize = 224;

    @Option(names = "--channels", paramLabel = "C", description = "Input channels: 1 or 3 (default ${DEFAULT-VALUE}).")
    int channels = 1;

    @Option(names = "--classes", paramLabel = "K", description = "Output classes (default ${DEFAULT-VALUE}).")
    int classes = 2;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Override
    public Integer call() throws RoentgenException {
        if (imageSize < Architectures.MIN_IMAGE_SIZE) {
            throw RoentgenException.usage("--image-size must be at least " + Architectures.MIN_IMAGE_SIZE + ", got " + imageSize);
        }
        if (channels < 1 || classes < 1) {
            throw RoentgenException.usage("--channels and --classes must be at least 1");
        }
        List<ModelSummary> summaries = ModelSummary.all(channels, classes, imageSize);
        PrintStream out = System.out;
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ModelSummary s : summaries) {
                rows.add(toJson(s));
            }
            out.println(Json.of(rows));
        } else {
            printTable(summaries, out);
        }
        return 0;
    }

    private static Map<String, Object> toJson(ModelSummary s) throws RoentgenException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("description", Architectures.description(s.name()));
        m.put("inChannels", s.inChannels());
        m.put("numClasses", s.numClasses());
        m.put("imageSize", s.imageSize());
        m.put("trainableParameters", s.trainableParameters());
        m.put("multiplyAccumulates", s.multiplyAccumulates());
        m.put("gmacs", s.gmacs());
        m.put("gflops", s.gflops());
        return m;
    }

    private void printTable(List<ModelSummary> summaries, PrintStream out) throws RoentgenException {
        out.printf(Locale.ROOT, "Input %dx%dx%d, %d classes%n", channels, imageSize, imageSize, classes);
        out.printf(Locale.ROOT, "%-14s %12s %9s %9s  %s%n", "name", "parameters", "GMACs", "GFLOPs", "description");
        for (ModelSummary s : summaries) {
            out.printf(Locale.ROOT, "%-14s %12s %9.3f %9.3f  %s%n", s.name(),
                    String.format(Locale.ROOT, "%,d", s.trainableParameters()), s.gmacs(), s.gflops(),
                    Architectures.description(s.name()));
        }
    }
}
