package io.roentgen.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.torch.Precision;
import io.roentgen.models.precision.Agreement;
import io.roentgen.models.precision.AgreementCheck;
import io.roentgen.models.precision.AgreementThreshold;
import io.roentgen.models.precision.PrecisionChoice;
import io.roentgen.models.Classifier;
import io.roentgen.models.Scores;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.training.TrainingRun;
import io.roentgen.training.export.BundleExporter;
import io.roentgen.training.metrics.BinaryCounts;
import io.roentgen.training.metrics.EvaluationReport;
import io.roentgen.training.metrics.Metrics;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `roentgen models|predict|evaluate` end to end: synthetic blob radiographs written as DICOM, a
 * `small` network trained on them for a few steps, exported as a bundle, then used by the commands.
 */
class BundleCommandsTest {
    private static final List<String> LABELS = List.of("no blob", "blob");
    private static final int TRAIN = 64;
    private static final int TEST = 24;

    @TempDir
    static Path dir;
    private static Path bundle;
    private static Path zip;
    private static Path testFolder;
    private static Path corrupt;
    private static Path manifest;
    private static final Map<String, Boolean> truth = new HashMap<>();

    @BeforeAll
    static void trainAndExport() throws Exception {
        EngineSettings.fromEnvironment().apply();
        PreprocessingSpec preprocessing = PreprocessingSpec.standard(SyntheticBlobDicom.SIZE, 1);
        Path trainFolder = Files.createDirectories(dir.resolve("train"));
        testFolder = Files.createDirectories(dir.resolve("test"));
        StringBuilder csv = new StringBuilder("path,label,split\n");
        for (int i = 0; i < TRAIN + TEST; i++) {
            boolean blob = i % 2 == 1;
            Path file = (i < TRAIN ? trainFolder : testFolder).resolve(String.format("img%03d.dcm", i));
            SyntheticBlobDicom.write(file, i, blob, 1);
            truth.put(file.toString(), blob);
            csv.append(dir.relativize(file)).append(',').append(LABELS.get(blob ? 1 : 0)).append(',')
                    .append(i < TRAIN ? "train" : "test").append('\n');
        }
        corrupt = dir.resolve("corrupt.dcm");
        byte[] good = Files.readAllBytes(testFolder.resolve(String.format("img%03d.dcm", TRAIN)));
        Files.write(corrupt, java.util.Arrays.copyOf(good, good.length - 100)); // pixel data cut short
        manifest = dir.resolve("manifest.csv");
        Files.writeString(manifest, csv);

        ArchitectureSpec spec = ArchitectureSpec.of("small", 1, 2).withImageSize(SyntheticBlobDicom.SIZE);
        TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(16).learningRate(1e-2)
                .optimizer(TrainingConfig.OptimizerKind.ADAMW).seed(5).numClasses(2).labelNames(LABELS)
                .loaderWorkers(1).prefetchBatches(2).bootstrapResamples(0).build();
        try (NDManager data = NDManager.newBaseManager(Device.cpu())) {
            ArrayDataset train = dataset(data, trainFolder, preprocessing);
            ArrayDataset validation = dataset(data, testFolder, preprocessing);
            try (TrainingResult result = TrainingRun.builder().config(config).model(() -> build(spec))
                    .trainData(train).validationData(validation).runDirectory(dir.resolve("run")).build().run()) {
                bundle = BundleExporter.writer("blobs", result, config, spec, preprocessing, "cafe", "test")
                        .writeDirectory(dir.resolve("blobs"));
                zip = BundleExporter.writer("blobs", result, config, spec, preprocessing, "cafe", "test")
                        .writeZip(dir.resolve("blobs.zip"));
            }
        }
    }

    private static ai.djl.nn.Block build(ArchitectureSpec spec) {
        try {
            return Architectures.build(spec);
        } catch (io.roentgen.engine.RoentgenException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayDataset dataset(NDManager manager, Path folder, PreprocessingSpec preprocessing) throws Exception {
        List<Path> files;
        try (var s = Files.list(folder)) {
            files = s.sorted().toList();
        }
        int size = SyntheticBlobDicom.SIZE * SyntheticBlobDicom.SIZE;
        float[] pixels = new float[files.size() * size];
        float[] labels = new float[files.size()];
        for (int i = 0; i < files.size(); i++) {
            float[] image = Preprocessing.of(preprocessing).apply(DicomReader.defaults().read(files.get(i)), 0).data();
            System.arraycopy(image, 0, pixels, i * size, size);
            labels[i] = truth.get(files.get(i).toString()) ? 1 : 0;
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(pixels, new Shape(files.size(), 1, SyntheticBlobDicom.SIZE, SyntheticBlobDicom.SIZE)))
                .optLabels(manager.create(labels, new Shape(files.size()))).setSampling(16, false).build();
    }

    // ------------------------------------------------------------------ models

    @Test
    void modelsJsonHasThePinnedParameterCounts() {
        CliRunner.Result r = CliRunner.run("models", "--json");
        assertEquals(0, r.exitCode(), r.err());
        Map<String, Long> counts = new HashMap<>();
        for (JsonElement e : JsonParser.parseString(r.out()).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            counts.put(o.get("name").getAsString(), o.get("trainableParameters").getAsLong());
            assertEquals(224, o.get("imageSize").getAsInt());
            assertEquals(2 * o.get("gmacs").getAsDouble(), o.get("gflops").getAsDouble(), 1e-12);
            assertTrue(o.get("gmacs").getAsDouble() > 0);
        }
        assertEquals(Map.of("small", 60_194L, "resnet18", 11_171_266L, "resnet34", 21_279_426L,
                "resnet50", 23_505_858L, "densenet121", 6_949_634L, "mobilenet_v2", 2_225_858L), counts);
    }

    @Test
    void modelsTableAtAnotherSize() {
        CliRunner.Result r = CliRunner.run("models", "--image-size", "64", "--channels", "3", "--classes", "14");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Input 3x64x64, 14 classes\n"), r.out());
        assertTrue(r.out().contains("resnet18"), r.out());
        assertEquals(2, CliRunner.run("models", "--image-size", "16").exitCode());
    }

    // ------------------------------------------------------------------ predict

    @Test
    void predictCsvScoresTheGoodFilesAndReportsTheCorruptOne() throws Exception {
        Path first = testFolder.resolve(String.format("img%03d.dcm", TRAIN));
        CliRunner.Result r = CliRunner.run("predict", "--model", bundle.toString(), first.toString(), corrupt.toString(),
                testFolder.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("roentgen: " + corrupt + ": "), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals("file,study_instance_uid,series_instance_uid,sop_instance_uid,label,p_no blob,p_blob,"
                + "threshold_no blob,threshold_blob,error", lines.get(0));
        assertEquals(1 + 2 + TEST, lines.size());
        assertFalse(r.out().contains("Doe") || r.out().contains("PAT-"), "no patient identifiers");
        try (Classifier model = ModelBundle.load(bundle, Device.cpu())) {
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = org.apache.commons.csv.CSVParser.parse(line, org.apache.commons.csv.CSVFormat.DEFAULT)
                        .getRecords().get(0).values();
                Path file = Path.of(cells[0]);
                if (file.equals(corrupt)) {
                    assertTrue(cells[9].startsWith(corrupt + ": "), line);
                    assertEquals("", cells[5]);
                    continue;
                }
                int index = Integer.parseInt(file.getFileName().toString().substring(3, 6));
                assertEquals(SyntheticBlobDicom.studyUid(index), cells[1]);
                assertEquals(SyntheticBlobDicom.seriesUid(index), cells[2]);
                assertEquals(SyntheticBlobDicom.instanceUid(index), cells[3]);
                Scores expected = model.predict(file);
                // Alone versus in a batch of 16, CPU kernels may round differently in the last bit.
                assertArrayEquals(expected.probabilities(), new float[] {Float.parseFloat(cells[5]), Float.parseFloat(cells[6])},
                        1e-6f, line);
                assertEquals(expected.top(), cells[4]);
                assertArrayEquals(model.card().thresholds(),
                        new float[] {Float.parseFloat(cells[7]), Float.parseFloat(cells[8])});
                assertEquals("", cells[9]);
            }
        }
    }

    @Test
    void theTrainedModelInBf16AgreesWithFp32On500Images() throws Exception {
        // the 24 test images, each with 21 seeded noise variants: 504 in-distribution inputs
        PreprocessingSpec preprocessing = PreprocessingSpec.standard(SyntheticBlobDicom.SIZE, 1);
        List<FloatImage> images = new ArrayList<>();
        java.util.Random random = new java.util.Random(22);
        try (var files = Files.list(testFolder)) {
            for (Path file : files.sorted().toList()) {
                FloatImage image = Preprocessing.of(preprocessing).apply(DicomReader.defaults().read(file), 0);
                for (int v = 0; v < 21; v++) {
                    float[] data = image.data().clone();
                    for (int i = 0; i < data.length; i++) {
                        data[i] += (float) (0.1 * random.nextGaussian());
                    }
                    images.add(new FloatImage(data, image.channels(), image.height(), image.width()));
                }
            }
        }
        try (Classifier fp32 = ModelBundle.load(bundle, Device.cpu())) {
            Classifier bf16 = AgreementCheck.apply(fp32, Device.cpu(), new PrecisionChoice(Precision.BF16, "test"));
            List<Scores> reference = new ArrayList<>();
            List<Scores> reduced = new ArrayList<>();
            for (int start = 0; start < images.size(); start += 56) {
                List<FloatImage> batch = images.subList(start, Math.min(images.size(), start + 56));
                reference.addAll(fp32.predict(batch));
                reduced.addAll(bf16.predict(batch));
            }
            Agreement agreement = Agreement.of(reference, reduced);
            System.out.println("bf16 vs fp32, trained small: " + agreement.describe());
            assertEquals(504, agreement.images());
            assertTrue(agreement.within(AgreementThreshold.DEFAULT), agreement.describe());
            assertTrue(agreement.maxProbabilityDifference() > 0, "bf16 really computed");
        }
    }

    @Test
    void predictInBf16SaysSoAndStaysCloseToFp32() {
        CliRunner.Result fp32 = CliRunner.run("predict", "--model", bundle.toString(), "--format", "json", testFolder.toString());
        CliRunner.Result bf16 = CliRunner.run("predict", "--model", bundle.toString(), "--format", "json",
                "--precision", "bf16", testFolder.toString());
        assertEquals(0, fp32.exitCode(), fp32.err());
        assertEquals(0, bf16.exitCode(), bf16.err());
        assertTrue(bf16.err().contains("roentgen: precision bf16 (asked for)"), bf16.err());
        JsonArray a = JsonParser.parseString(fp32.out()).getAsJsonArray();
        JsonArray b = JsonParser.parseString(bf16.out()).getAsJsonArray();
        assertEquals(TEST, b.size());
        double maxDelta = 0;
        for (int i = 0; i < TEST; i++) {
            JsonObject pa = a.get(i).getAsJsonObject().getAsJsonObject("probabilities");
            JsonObject pb = b.get(i).getAsJsonObject().getAsJsonObject("probabilities");
            maxDelta = Math.max(maxDelta, Math.abs(pa.get("blob").getAsDouble() - pb.get("blob").getAsDouble()));
        }
        assertTrue(maxDelta > 0 && maxDelta <= 0.02, "bf16 computed, and within 0.02 of fp32: " + maxDelta);
    }

    @Test
    void anUnknownPrecisionIsAUsageError() {
        CliRunner.Result r = CliRunner.run("predict", "--model", bundle.toString(), "--precision", "int8", testFolder.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--precision: unknown precision 'int8'"), r.err());
    }

    @Test
    void predictJsonFromTheZipEqualsTheDirectory() {
        CliRunner.Result fromDir = CliRunner.run("predict", "--model", bundle.toString(), "--format", "json",
                testFolder.toString(), corrupt.toString());
        CliRunner.Result fromZip = CliRunner.run("predict", "--model", zip.toString(), "--format", "json",
                testFolder.toString(), corrupt.toString(), "--devices", "cpu");
        assertEquals(1, fromDir.exitCode());
        assertEquals(1, fromZip.exitCode());
        assertEquals(fromDir.out(), fromZip.out());
        JsonArray rows = JsonParser.parseString(fromDir.out()).getAsJsonArray();
        assertEquals(TEST + 1, rows.size());
        JsonObject bad = rows.get(TEST).getAsJsonObject();
        assertTrue(bad.get("error").getAsString().startsWith(corrupt + ": "));
        assertFalse(bad.has("probabilities"));
        JsonObject good = rows.get(0).getAsJsonObject();
        assertFalse(good.has("error"));
        JsonObject p = good.getAsJsonObject("probabilities");
        assertEquals(1.0, p.get("no blob").getAsDouble() + p.get("blob").getAsDouble(), 1e-6);
        assertEquals(SyntheticBlobDicom.instanceUid(TRAIN), good.get("sopInstanceUid").getAsString());
    }

    @Test
    void predictWithABrokenBundleIsOneLine() throws Exception {
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("model.json"), "{\"formatVersion\": \"9.0\"}");
        CliRunner.Result r = CliRunner.run("predict", "--model", broken.toString(), corrupt.toString());
        assertEquals(1, r.exitCode());
        assertEquals("roentgen: " + broken + "/model.json: bundle format version 9.0 is not supported: this Roentgen "
                + "reads version 1.x bundles", r.err().strip());
    }

    // ------------------------------------------------------------------ evaluate

    /** The metrics of `evaluate` equal those computed here from `predict`'s scores and the manifest's labels. */
    @Test
    void evaluateEqualsMetricsComputedFromPredictScores() throws Exception {
        Path out = dir.resolve("eval");
        CliRunner.Result r = CliRunner.run("evaluate", "--model", zip.toString(), "--data", manifest.toString(),
                "--split", "test", "--json", "--bootstrap", "200", "--seed", "3", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonObject report = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(TEST, report.get("images").getAsInt());

        CliRunner.Result predicted = CliRunner.run("predict", "--model", bundle.toString(), "--format", "json",
                testFolder.toString());
        assertEquals(0, predicted.exitCode(), predicted.err());
        JsonArray rows = JsonParser.parseString(predicted.out()).getAsJsonArray();
        double[][] p = new double[rows.size()][2];
        boolean[][] t = new boolean[rows.size()][2];
        long correct = 0;
        long[][] confusion = new long[2][2];
        for (int i = 0; i < rows.size(); i++) {
            JsonObject row = rows.get(i).getAsJsonObject();
            JsonObject probabilities = row.getAsJsonObject("probabilities");
            p[i][0] = probabilities.get("no blob").getAsFloat();
            p[i][1] = probabilities.get("blob").getAsFloat();
            boolean blob = truth.get(row.get("file").getAsString());
            t[i][blob ? 1 : 0] = true;
            int predictedClass = p[i][1] > p[i][0] ? 1 : 0;
            correct += predictedClass == (blob ? 1 : 0) ? 1 : 0;
            confusion[blob ? 1 : 0][predictedClass]++;
        }
        assertEquals((double) correct / rows.size(), report.get("accuracy").getAsDouble(), 1e-12);
        JsonArray counts = report.getAsJsonObject("confusionMatrix").getAsJsonArray("counts");
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                assertEquals(confusion[a][b], counts.get(a).getAsJsonArray().get(b).getAsLong());
            }
        }
        EvaluationReport expected = Metrics.evaluate(p, t, false, LABELS, Double.NaN, 200, 3);
        assertEquals(expected.macroAuroc(), report.get("macroAuroc").getAsDouble(), 1e-12);
        assertEquals(expected.macroAurocInterval().lower(),
                report.getAsJsonObject("macroAurocInterval").get("lower").getAsDouble(), 1e-12);
        float[] thresholds = ModelBundle.readManifest(bundle).thresholds();
        for (int c = 0; c < 2; c++) {
            JsonObject cls = report.getAsJsonArray("classes").get(c).getAsJsonObject();
            assertEquals(LABELS.get(c), cls.get("label").getAsString());
            assertEquals(expected.classes().get(c).auroc(), cls.get("auroc").getAsDouble(), 1e-12);
            assertEquals(expected.classes().get(c).aurocInterval().upper(),
                    cls.getAsJsonObject("aurocInterval").get("upper").getAsDouble(), 1e-12);
            assertEquals(thresholds[c], cls.get("threshold").getAsFloat());
            BinaryCounts atThreshold = BinaryCounts.at(Metrics.column(p, c), Metrics.column(t, c), thresholds[c]);
            assertCounts(atThreshold, cls.getAsJsonObject("atThreshold"));
            assertCounts(BinaryCounts.at(Metrics.column(p, c), Metrics.column(t, c), 0.5), cls.getAsJsonObject("atHalf"));
        }
        assertTrue(report.get("macroAuroc").getAsDouble() > 0.9, "the trained model separates blobs: " + r.out());
        assertPng(out.resolve("roc.png"), io.roentgen.models.report.RocChart.SIZE, io.roentgen.models.report.RocChart.SIZE);
        assertPng(out.resolve("confusion-matrix.png"), io.roentgen.models.report.ConfusionMatrixChart.width(2),
                io.roentgen.models.report.ConfusionMatrixChart.height(2));
        assertEquals(report, JsonParser.parseString(Files.readString(out.resolve("evaluation.json"))));
    }

    @Test
    void evaluateTable() {
        CliRunner.Result r = CliRunner.run("evaluate", "--model", bundle.toString(), "--data", manifest.toString(),
                "--split", "test", "--bootstrap", "50");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Model blobs v1 (roentgen) on " + manifest + ", split test: 24 images"), r.out());
        assertTrue(r.out().contains("Confusion matrix (rows: true class, columns: predicted class)"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("blob ")), r.out());
    }

    @Test
    void evaluateAnUnknownSplitIsAUsageError() {
        CliRunner.Result r = CliRunner.run("evaluate", "--model", bundle.toString(), "--data", manifest.toString(),
                "--split", "holdout");
        assertEquals(2, r.exitCode());
        assertEquals("roentgen: " + manifest + ": no rows in split 'holdout'; splits present: test, train", r.err().strip());
    }

    private static void assertCounts(BinaryCounts expected, JsonObject actual) {
        assertEquals(expected.truePositives(), actual.get("truePositives").getAsLong());
        assertEquals(expected.falsePositives(), actual.get("falsePositives").getAsLong());
        assertEquals(expected.trueNegatives(), actual.get("trueNegatives").getAsLong());
        assertEquals(expected.falseNegatives(), actual.get("falseNegatives").getAsLong());
        assertNumber(expected.sensitivity(), actual.get("sensitivity"));
        assertNumber(expected.specificity(), actual.get("specificity"));
        assertNumber(expected.f1(), actual.get("f1"));
    }

    private static void assertNumber(double expected, JsonElement actual) {
        if (Double.isNaN(expected)) {
            assertTrue(actual.isJsonNull());
        } else {
            assertEquals(expected, actual.getAsDouble(), 1e-12);
        }
    }

    private static void assertPng(Path png, int width, int height) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < height && colours.size() <= 2; y += 3) {
            for (int x = 0; x < width; x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 2, png + " is not blank");
    }
}
