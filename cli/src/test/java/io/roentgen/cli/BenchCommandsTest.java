package io.roentgen.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.models.report.ChartFiles;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.repository.ModelFormats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench commands run, their --json has the one documented shape (figures as median, min,
 * max, p25, p75 and values over the repetitions) and their --plot is a PNG with the series drawn;
 * the figures themselves live in BENCHMARKS.md.
 */
class BenchCommandsTest {
    private static final int BAR_PIXELS = 100;
    private static final Color FIRST = ChartFiles.PALETTE[0];
    private static final Color SECOND = ChartFiles.PALETTE[1];
    private static final Rectangle LEFT_CHART = new Rectangle(0, 0, 600, 500);
    private static final Rectangle RIGHT_CHART = new Rectangle(600, 0, 600, 500);

    @TempDir
    Path temp;

    @Test
    void everyBenchReportsSpreadsInJsonAndDrawsItsPlot() throws IOException {
        Path data = temp.resolve("data");
        assertEquals(0, CliRunner.run("synth", "--out", data.toString(), "--patients", "12", "--size", "32",
                "--transfer-syntax", "rle").exitCode());
        Path decodePng = temp.resolve("decode.png");
        CliRunner.Result decode = CliRunner.run("bench", "decode", data.toString(), "--repetitions", "3",
                "--warm-up", "0", "--json", "--plot", decodePng.toString());
        assertEquals(0, decode.exitCode(), decode.err());
        JsonObject decodeReport = report(decode, "decode", 3);
        JsonObject rle = decodeReport.getAsJsonArray("rows").get(0).getAsJsonObject();
        assertEquals("1.2.840.10008.1.2.5", rle.get("transferSyntaxUid").getAsString());
        assertSpread(rle.getAsJsonObject("filesPerSecond"), 3);
        assertSpread(rle.getAsJsonObject("megabytesPerSecond"), 3);
        BufferedImage bars = plot(decodePng);
        // A bar's height is its median against the axis, which runs to the fastest repetition: on a
        // busy machine one fast outlier leaves the median bar a few pixels tall, so count that much.
        assertTrue(count(bars, FIRST, 0, 600) > BAR_PIXELS, "MB/s bar on the left");
        assertTrue(count(bars, SECOND, 600, 1200) > BAR_PIXELS, "files/s bar on the right");

        Path preprocessPng = temp.resolve("preprocess.png");
        CliRunner.Result preprocess = CliRunner.run("bench", "preprocess", data.resolve("manifest.csv").toString(),
                "--image-size", "32", "--threads", "2", "--repetitions", "2", "--json", "--plot", preprocessPng.toString());
        assertEquals(0, preprocess.exitCode(), preprocess.err());
        JsonObject p = report(preprocess, "preprocess", 2);
        assertEquals("cold", p.getAsJsonArray("rows").get(0).getAsJsonObject().get("source").getAsString());
        assertSpread(p.getAsJsonArray("rows").get(0).getAsJsonObject().getAsJsonObject("imagesPerSecond"), 2);
        assertSpread(p.getAsJsonArray("rows").get(1).getAsJsonObject().getAsJsonObject("imagesPerSecond"), 2);
        int images = p.getAsJsonObject("settings").get("images").getAsInt();
        assertEquals(2L * images, p.get("timedCacheHits").getAsLong(), "both timed cached passes are all hits");
        assertEquals(p.get("timedCacheHits").getAsLong(), p.get("timedCacheLookups").getAsLong());
        assertTrue(count(plot(preprocessPng), FIRST, 0, 1200) > BAR_PIXELS, "cold and cached bars");

        Path trainPng = temp.resolve("train.png");
        CliRunner.Result train = CliRunner.run("bench", "train", "--arch", "small", "--image-size", "32",
                "--batch-size", "2,4", "--steps", "2", "--repetitions", "2", "--devices", "cpu", "--json",
                "--plot", trainPng.toString());
        assertEquals(0, train.exitCode(), train.err());
        JsonObject t = report(train, "train", 2);
        assertEquals("small", t.getAsJsonObject("settings").get("arch").getAsString());
        JsonArray trainRows = t.getAsJsonArray("rows");
        assertEquals(4, trainRows.get(1).getAsJsonObject().get("batchSize").getAsInt());
        assertSpread(trainRows.get(1).getAsJsonObject().getAsJsonObject("imagesPerSecond"), 2);
        assertSpread(trainRows.get(1).getAsJsonObject().getAsJsonObject("stepMs"), 2);
        assertLinePlot(plot(trainPng));

        Path run = temp.resolve("run");
        assertEquals(0, CliRunner.run("train", "--data", data.resolve("manifest.csv").toString(), "--arch", "small",
                "--image-size", "32", "--epochs", "1", "--batch-size", "4", "--out", run.toString()).exitCode());
        Path inferPng = temp.resolve("infer.png");
        CliRunner.Result infer = CliRunner.run("bench", "infer", "--model", run.resolve("bundle").toString(),
                "--batch-sizes", "1,4", "--calls", "3", "--repetitions", "2", "--json", "--plot", inferPng.toString());
        assertEquals(0, infer.exitCode(), infer.err());
        JsonArray rows = report(infer, "infer", 2).getAsJsonArray("rows");
        assertEquals(2, rows.size());
        assertEquals(4, rows.get(1).getAsJsonObject().get("batchSize").getAsInt());
        for (String figure : new String[] {"imagesPerSecond", "p50Ms", "p90Ms", "p99Ms"}) {
            assertSpread(rows.get(1).getAsJsonObject().getAsJsonObject(figure), 2);
        }
        assertLinePlot(plot(inferPng));

        // bench serve against the real server on loopback, with that bundle.
        io.roentgen.engine.FileTrees.copy(run.resolve("bundle"), repository().resolve("m").resolve("1"));
        try (InferenceServer server = new InferenceServer(ServerConfig.defaults(repository()).withPort(0),
                ModelFormats.standard()).start()) {
            String base = "http://127.0.0.1:" + server.port();
            Path servePng = temp.resolve("serve.png");
            CliRunner.Result serve = CliRunner.run("bench", "serve", "--url", base, "--model", "m", "--dicom",
                    data.toString(), "--concurrency", "1,4", "--duration", "1s", "--warmup", "200ms",
                    "--repetitions", "2", "--json", "--plot", servePng.toString());
            assertEquals(0, serve.exitCode(), serve.err());
            JsonObject load = report(serve, "serve", 2).getAsJsonArray("rows").get(1).getAsJsonObject();
            assertEquals(4, load.get("clients").getAsInt());
            assertTrue(load.get("requests").getAsInt() > 0);
            assertSpread(load.getAsJsonObject("imagesPerSecond"), 2);
            assertSpread(load.getAsJsonObject("p99Ms"), 2);
            assertEquals(0, load.getAsJsonObject("errors").size());
            assertLinePlot(plot(servePng));

            CliRunner.Result unknown = CliRunner.run("bench", "serve", "--url", base, "--model", "nope", "--dicom",
                    data.toString(), "--concurrency", "1", "--duration", "300ms", "--warmup", "0s", "--repetitions", "1",
                    "--json");
            assertEquals(1, unknown.exitCode());
            JsonObject row = report(unknown, "serve", 1).getAsJsonArray("rows").get(0).getAsJsonObject();
            assertTrue(row.getAsJsonObject("errors").has("404"), unknown.out());
            assertTrue(row.get("p50Ms").isJsonNull(), "no successful request, no latency");
        } catch (io.roentgen.engine.RoentgenException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void badNumbersAreUsageErrors() {
        assertEquals(2, CliRunner.run("bench", "train", "--steps", "0").exitCode());
        assertEquals(2, CliRunner.run("bench", "train", "--repetitions", "0").exitCode());
        assertEquals(2, CliRunner.run("bench", "infer", "--model", temp.toString(), "--calls", "0").exitCode());
        assertEquals(2, CliRunner.run("bench", "decode", temp.toString(), "--repetitions", "0").exitCode());
        assertEquals(2, CliRunner.run("bench", "serve", "--url", "http://127.0.0.1:1", "--model", "m", "--dicom",
                temp.toString(), "--duration", "soon").exitCode());
    }

    @Test
    void aPlotThatCannotBeWrittenIsAUsageErrorBeforeAnythingRuns() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        CliRunner.Result noFolder = CliRunner.run("bench", "train", "--arch", "small", "--plot",
                file.resolve("train.png").toString());
        assertEquals(2, noFolder.exitCode());
        assertTrue(noFolder.err().contains("does not exist"), noFolder.err());
        assertFalse(noFolder.err().contains("\tat "), "no stack trace: " + noFolder.err());
        assertTrue(noFolder.out().isEmpty(), "nothing was measured: " + noFolder.out());

        CliRunner.Result notPng = CliRunner.run("bench", "decode", temp.toString(), "--plot",
                temp.resolve("decode.jpg").toString());
        assertEquals(2, notPng.exitCode());
        assertTrue(notPng.err().contains(".png"), notPng.err());

        CliRunner.Result folder = CliRunner.run("bench", "infer", "--model", temp.toString(), "--plot",
                Files.createDirectory(temp.resolve("x.png")).toString());
        assertEquals(2, folder.exitCode());
        assertTrue(folder.err().contains("is a folder"), folder.err());
    }

    private Path repository() {
        return temp.resolve("repo");
    }

    private static JsonObject report(CliRunner.Result result, String bench, int repetitions) {
        JsonObject report = JsonParser.parseString(result.out()).getAsJsonObject();
        assertEquals(bench, report.get("bench").getAsString());
        assertEquals(repetitions, report.get("repetitions").getAsInt());
        assertNotNull(report.getAsJsonObject("settings"));
        return report;
    }

    /** A figure over {@code n} repetitions: ordered statistics that agree with the values. */
    private static void assertSpread(JsonObject spread, int n) {
        JsonArray values = spread.getAsJsonArray("values");
        assertEquals(n, values.size(), spread.toString());
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, values.get(i).getAsDouble());
            max = Math.max(max, values.get(i).getAsDouble());
        }
        assertTrue(min > 0, spread.toString());
        assertEquals(min, spread.get("min").getAsDouble(), 1e-9);
        assertEquals(max, spread.get("max").getAsDouble(), 1e-9);
        double median = spread.get("median").getAsDouble();
        assertTrue(spread.get("p25").getAsDouble() <= median && median <= spread.get("p75").getAsDouble(), spread.toString());
        assertTrue(min <= median && median <= max, spread.toString());
    }

    private static BufferedImage plot(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is a PNG");
        assertEquals(BenchOutput.PLOT_WIDTH, image.getWidth());
        assertEquals(BenchOutput.PLOT_HEIGHT, image.getHeight());
        return image;
    }

    /**
     * Throughput in the first colour in the left chart, latency in the second in the right: a line
     * across the axes is far more pixels than its legend sample.
     */
    private static void assertLinePlot(BufferedImage image) {
        assertTrue(count(image, FIRST, LEFT_CHART) > 400, "throughput drawn in the left chart");
        assertTrue(count(image, SECOND, RIGHT_CHART) > 400, "latency drawn in the right chart");
        assertEquals(0, count(image, SECOND, LEFT_CHART), "no latency on the throughput side");
    }

    private static long count(BufferedImage image, Color color, int fromX, int toX) {
        return count(image, color, new Rectangle(fromX, 0, toX - fromX, image.getHeight()));
    }

    private static long count(BufferedImage image, Color color, Rectangle area) {
        long n = 0;
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (color.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }
}
