package io.roentgen.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.repository.ModelFormats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench commands run and their --json parses; the figures themselves live in BENCHMARKS.md. */
class BenchCommandsTest {
    @TempDir
    Path temp;

    @Test
    void decodeTrainAndInferReportJson() {
        Path data = temp.resolve("data");
        assertEquals(0, CliRunner.run("synth", "--out", data.toString(), "--patients", "12", "--size", "32",
                "--transfer-syntax", "rle").exitCode());
        CliRunner.Result decode = CliRunner.run("bench", "decode", data.toString(), "--repetitions", "2",
                "--warm-up", "0", "--json");
        assertEquals(0, decode.exitCode(), decode.err());
        JsonObject rle = JsonParser.parseString(decode.out()).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("1.2.840.10008.1.2.5", rle.get("transferSyntaxUid").getAsString());
        assertTrue(rle.get("medianFilesPerSecond").getAsDouble() > 0);

        CliRunner.Result preprocess = CliRunner.run("bench", "preprocess", data.resolve("manifest.csv").toString(),
                "--image-size", "32", "--threads", "2", "--json");
        assertEquals(0, preprocess.exitCode(), preprocess.err());
        JsonObject p = JsonParser.parseString(preprocess.out()).getAsJsonObject();
        assertTrue(p.get("coldImagesPerSecond").getAsDouble() > 0);
        assertEquals(p.get("images").getAsInt(), p.get("cacheHits").getAsInt(), "the timed cached pass is all hits");

        CliRunner.Result train = CliRunner.run("bench", "train", "--arch", "small", "--image-size", "32",
                "--batch-size", "4", "--steps", "2", "--rounds", "1", "--devices", "cpu", "--json");
        assertEquals(0, train.exitCode(), train.err());
        JsonObject t = JsonParser.parseString(train.out()).getAsJsonObject();
        assertEquals("small", t.get("arch").getAsString());
        assertTrue(t.get("medianImagesPerSecond").getAsDouble() > 0);

        Path run = temp.resolve("run");
        assertEquals(0, CliRunner.run("train", "--data", data.resolve("manifest.csv").toString(), "--arch", "small",
                "--image-size", "32", "--epochs", "1", "--batch-size", "4", "--out", run.toString()).exitCode());
        CliRunner.Result infer = CliRunner.run("bench", "infer", "--model", run.resolve("bundle").toString(),
                "--batch-sizes", "1,4", "--calls", "3", "--json");
        assertEquals(0, infer.exitCode(), infer.err());
        JsonArray rows = JsonParser.parseString(infer.out()).getAsJsonArray();
        assertEquals(2, rows.size());
        assertEquals(4, rows.get(1).getAsJsonObject().get("batchSize").getAsInt());
        assertTrue(rows.get(1).getAsJsonObject().get("p50Ms").getAsDouble() > 0);

        // bench serve against the real server on loopback, with that bundle.
        Path repository = temp.resolve("repo");
        try {
            io.roentgen.engine.FileTrees.copy(run.resolve("bundle"), repository.resolve("m").resolve("1"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (InferenceServer server = new InferenceServer(ServerConfig.defaults(repository).withPort(0),
                ModelFormats.standard()).start()) {
            String base = "http://127.0.0.1:" + server.port();
            CliRunner.Result serve = CliRunner.run("bench", "serve", "--url", base, "--model", "m", "--dicom",
                    data.toString(), "--concurrency", "1,4", "--duration", "1s", "--warmup", "200ms", "--json");
            assertEquals(0, serve.exitCode(), serve.err());
            JsonArray loads = JsonParser.parseString(serve.out()).getAsJsonArray();
            assertEquals(4, loads.get(1).getAsJsonObject().get("clients").getAsInt());
            assertTrue(loads.get(1).getAsJsonObject().get("requests").getAsInt() > 0);
            assertEquals(0, loads.get(1).getAsJsonObject().getAsJsonObject("errors").size());

            CliRunner.Result unknown = CliRunner.run("bench", "serve", "--url", base, "--model", "nope", "--dicom",
                    data.toString(), "--concurrency", "1", "--duration", "300ms", "--warmup", "0s", "--json");
            assertEquals(1, unknown.exitCode());
            JsonObject row = JsonParser.parseString(unknown.out()).getAsJsonArray().get(0).getAsJsonObject();
            assertTrue(row.getAsJsonObject("errors").has("404"), unknown.out());
        } catch (io.roentgen.engine.RoentgenException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void badNumbersAreUsageErrors() {
        assertEquals(2, CliRunner.run("bench", "train", "--steps", "0").exitCode());
        assertEquals(2, CliRunner.run("bench", "infer", "--model", temp.toString(), "--calls", "0").exitCode());
        assertEquals(2, CliRunner.run("bench", "serve", "--url", "http://127.0.0.1:1", "--model", "m", "--dicom",
                temp.toString(), "--duration", "soon").exitCode());
    }
}
