package io.roentgen.cli;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `roentgen synth` then `roentgen train` then `roentgen predict`, the way a user chains them. */
class TrainCommandTest {
    @TempDir
    Path temp;

    @Test
    void trainsExportsABundleAndResumesToTheSameEnd() throws Exception {
        Path data = temp.resolve("data");
        assertEquals(0, CliRunner.run("synth", "--out", data.toString(), "--patients", "40", "--size", "32").exitCode());
        Path run = temp.resolve("run");
        String[] train = {"train", "--data", data.resolve("manifest.csv").toString(), "--arch", "small",
            "--image-size", "32", "--epochs", "2", "--batch-size", "8", "--out", run.toString(), "--seed", "3"};
        CliRunner.Result r = CliRunner.run(train);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Devices: [cpu()]"), r.out());
        for (String file : List.of("metrics.jsonl", "learning-curves.png", "roc.png", "summary.json", "split.csv",
            "bundle/model.json", "bundle/weights.params")) {
            assertTrue(Files.exists(run.resolve(file)), file);
        }
        assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        String model = Files.readString(run.resolve("bundle/model.json"));
        assertEquals("small", JsonParser.parseString(model).getAsJsonObject()
                .getAsJsonObject("architecture").get("name").getAsString());

        CliRunner.Result predicted = CliRunner.run("predict", "--model", run.resolve("bundle").toString(),
                data.toString(), "--format", "json");
        assertEquals(0, predicted.exitCode(), predicted.err());
        assertEquals(Files.readAllLines(data.resolve("manifest.csv")).size() - 1,
                JsonParser.parseString(predicted.out()).getAsJsonArray().size());

        // Resuming a finished run trains nothing more and ends with the same metrics.
        String before = Files.readString(run.resolve("metrics.jsonl"));
        Files.walk(run.resolve("bundle")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        String[] resume = java.util.Arrays.copyOf(train, train.length + 1);
        resume[train.length] = "--resume";
        assertEquals(0, CliRunner.run(resume).exitCode());
        assertEquals(before, Files.readString(run.resolve("metrics.jsonl")));
    }

    @Test
    void anUnknownArchitectureIsOneClearLine() throws Exception {
        Path data = temp.resolve("d");
        CliRunner.run("synth", "--out", data.toString(), "--patients", "10", "--size", "32");
        CliRunner.Result r = CliRunner.run("train", "--data", data.resolve("manifest.csv").toString(), "--arch", "vgg99",
                "--out", temp.resolve("r").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("roentgen: unknown architecture 'vgg99'"), r.err());
    }
}
