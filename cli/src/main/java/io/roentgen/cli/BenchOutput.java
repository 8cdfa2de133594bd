package io.roentgen.cli;

import io.roentgen.benchmarks.Stats;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.report.ChartFiles;
import picocli.CommandLine.Option;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every {@code roentgen bench} command prints and draws: a table, or with {@code --json} one
 * object {@code {"bench", "settings", "repetitions", "rows"}} whose measured figures are
 * {@link Stats.Spread}s; and with {@code --plot FILE.png} a chart of the rows.
 */
final class BenchOutput {
    static final int PLOT_WIDTH = 1200;
    static final int PLOT_HEIGHT = 500;

    @Option(names = "--json", description = "Print JSON: settings, and per row each figure's median, min, max, p25, p75 and values.")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw the figures, with their min-max spread, into this PNG.")
    Path plot;

    /** Checked before measuring, so a typo does not cost a whole benchmark run. */
    void checkPlot() throws RoentgenException {
        if (plot == null) {
            return;
        }
        if (!plot.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw RoentgenException.usage("--plot must name a .png file, not " + plot);
        }
        Path folder = plot.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw RoentgenException.usage("--plot " + plot + ": folder " + folder + " does not exist");
        }
        if (!Files.isWritable(folder)) {
            throw RoentgenException.usage("--plot " + plot + ": folder " + folder + " is not writable");
        }
        if (Files.isDirectory(plot)) {
            throw RoentgenException.usage("--plot " + plot + " is a folder");
        }
    }

    void writePlot(BufferedImage image) throws RoentgenException {
        try {
            ChartFiles.writePng(image, plot);
        } catch (IOException e) {
            throw new RoentgenException("cannot write the plot " + plot + ": " + e.getMessage(), false, e);
        }
    }

    boolean wantsPlot() {
        return plot != null;
    }

    /** The one JSON shape of every bench command. */
    static Map<String, Object> report(String bench, Map<String, Object> settings, int repetitions, List<?> rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bench", bench);
        m.put("settings", settings);
        m.put("repetitions", repetitions);
        m.put("rows", rows);
        return m;
    }

    static void checkRepetitions(int repetitions) throws RoentgenException {
        if (repetitions < 1) {
            throw RoentgenException.usage("--repetitions must be at least 1");
        }
    }

    /** "median (min-max)" with {@code decimals} decimals; "-" when there is no figure. */
    static String spread(Stats.Spread s, int decimals) {
        if (s == null) {
            return "-";
        }
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " (" + f + "-" + f + ")", s.median(), s.min(), s.max());
    }
}
