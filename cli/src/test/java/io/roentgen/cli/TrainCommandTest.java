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

    /** A DICOM folder-per-class layout trains like a manifest, and --cache fills the tensor cache. */
    @Test
    void trainsOnADicomClassFolderWithATensorCache() throws Exception {
        Path data = temp.resolve("synth");
        assertEquals(0, CliRunner.run("synth", "--out", data.toString(), "--patients", "30", "--size", "32").exitCode());
        Path root = temp.resolve("folders");
        List<String> lines = Files.readAllLines(data.resolve("manifest.csv"));
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            Path target = root.resolve(cells[1]).resolve("img" + i + ".dcm");
            Files.createDirectories(target.getParent());
            Files.copy(data.resolve(cells[0]), target);
        }
        Path run = temp.resolve("folder-run");
        Path cache = temp.resolve("cache");
        CliRunner.Result r = CliRunner.run("train", "--data", root.toString(), "--arch", "small", "--image-size", "32",
                "--epochs", "2", "--batch-size", "8", "--cache", cache.toString(), "--out", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Folder layout: " + (lines.size() - 1) + " DICOM files in 2 class folders"), r.out());
        assertTrue(Files.exists(run.resolve("bundle/model.json")));
        try (java.util.stream.Stream<Path> entries = Files.walk(cache)) {
            assertTrue(entries.filter(p -> p.toString().endsWith(".f16")).count() > 0, "tensors cached");
        }
    }

    /** PNG class folders (how public data sets ship) train through DJL's ImageFolder. */
    @Test
    void trainsOnAPngClassFolder() throws Exception {
        Path root = temp.resolve("png");
        java.util.Random random = new java.util.Random(5);
        for (String label : List.of("blob", "clear")) {
            Files.createDirectories(root.resolve(label));
            for (int i = 0; i < 12; i++) {
                java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(32, 32,
                        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        boolean inBlob = label.equals("blob") && Math.hypot(x - 16, y - 16) < 6;
                        image.getRaster().setSample(x, y, 0, (inBlob ? 200 : 60) + random.nextInt(20));
                    }
                }
                javax.imageio.ImageIO.write(image, "png", root.resolve(label).resolve("img" + i + ".png").toFile());
            }
        }
        Path run = temp.resolve("png-run");
        CliRunner.Result r = CliRunner.run("train", "--data", root.toString(), "--arch", "small", "--image-size", "32",
                "--epochs", "1", "--batch-size", "8", "--val", "0.25", "--out", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("classes [blob, clear]"), r.out());
        assertTrue(r.out().contains("split by image"), r.out());
        assertTrue(Files.exists(run.resolve("bundle/model.json")));
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
