package io.roentgen.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import io.roentgen.training.listen.Charts;
import io.roentgen.training.listen.MetricsJsonlWriter;
import io.roentgen.training.listen.ProgressPrinter;
import io.roentgen.training.listen.RunSummaryWriter;
import io.roentgen.training.listen.TrainingListener;
import io.roentgen.training.metrics.EvaluationReport;
import io.roentgen.training.run.EpochRecord;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end runs on the CPU with a tiny CNN on synthetic blob images. */
class TrainingRunTest {
    private static NDManager dataManager;
    private static RandomAccessDataset train;
    private static RandomAccessDataset validation;

    @TempDir
    Path runs;

    @BeforeAll
    static void data() {
        dataManager = NDManager.newBaseManager(Device.cpu());
        train = SyntheticBlobs.dataset(dataManager, 192, 0.35, 1);
        validation = SyntheticBlobs.dataset(dataManager, 96, 0.4, 2);
    }

    @AfterAll
    static void release() {
        dataManager.close();
    }

    private static TrainingConfig config(int epochs) {
        return TrainingConfig.builder().epochs(epochs).batchSize(16).learningRate(1e-2)
                .optimizer(TrainingConfig.OptimizerKind.ADAMW).weightDecay(1e-4)
                .schedule(TrainingConfig.ScheduleKind.COSINE).warmupEpochs(0.5).seed(3)
                .classWeighting(TrainingConfig.ClassWeighting.AUTO)
                .numClasses(2).labelNames(List.of("no blob", "blob"))
                .loaderWorkers(2).prefetchBatches(2).bootstrapResamples(200).build();
    }

    private TrainingRun.Builder run(TrainingConfig config, Path directory) {
        return TrainingRun.builder().config(config).model(() -> SyntheticBlobs.tinyCnn(true, 2))
                .trainData(train).validationData(validation).runDirectory(directory);
    }

    @Test
    void learnsTheBlobTaskAndWritesReports() throws IOException {
        Path directory = runs.resolve("blobs");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (TrainingResult result = run(config(4), directory)
                .listener(new ProgressPrinter(new PrintStream(console, true, StandardCharsets.UTF_8), true))
                .listener(new MetricsJsonlWriter()).listener(new Charts()).listener(new RunSummaryWriter())
                .build().run()) {
            assertFalse(result.stopped());
            assertEquals(4, result.history().size());
            assertTrue(result.bestMacroAuroc() >= 0.95, "validation AUROC " + result.bestMacroAuroc());
            assertEquals(directory.resolve("checkpoints/epoch-00" + result.bestEpoch()), result.bestCheckpoint());
            EvaluationReport best = result.bestValidation();
            assertNotNull(best.macroAurocInterval());
            assertEquals(result.bestMacroAuroc(), best.macroAuroc(), 1e-12, "the result holds the best parameters");
            assertTrue(best.classes().get(1).aurocInterval().lower() <= best.classes().get(1).auroc());
            assertTrue(best.classes().get(1).aurocInterval().upper() >= best.classes().get(1).auroc());
        }
        RunSummaryWriter.Summary summary = RunSummaryWriter.read(directory.resolve(RunSummaryWriter.FILE_NAME));
        assertEquals(4, summary.epochsCompleted());
        assertTrue(summary.bestValidation().classes().get(1).aurocInterval().resamples() > 0);
        assertEquals(summary.bestMacroAuroc(), summary.bestValidation().macroAuroc(), 1e-12);
        List<EpochRecord> lines = MetricsJsonlWriter.read(directory.resolve(MetricsJsonlWriter.FILE_NAME));
        assertEquals(4, lines.size());
        for (int e = 0; e < 4; e++) {
            assertEquals(e + 1, lines.get(e).epoch());
            assertEquals(List.of("no blob", "blob"), lines.get(e).classes().stream().map(EpochRecord.ClassRecord::name).toList());
            assertTrue(lines.get(e).imagesPerSecond() > 0);
        }
        assertImage(directory.resolve(Charts.LEARNING_CURVES), Charts.LEARNING_WIDTH, Charts.LEARNING_HEIGHT);
        assertImage(directory.resolve(Charts.ROC), Charts.ROC_SIZE, Charts.ROC_SIZE);
        for (int e = 1; e <= 4; e++) {
            assertTrue(Files.isRegularFile(directory.resolve("checkpoints/epoch-00" + e + "/" + Checkpoints.STATE_FILE)));
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("\repoch 1/4 ["), printed);
        assertTrue(printed.contains("epoch 4/4  train loss"), printed);
    }

    @Test
    void sameSeedSameRunAndResumeEqualsUninterrupted() throws IOException, InterruptedException {
        TrainingConfig config = config(3);
        List<EpochRecord> first = history(run(config, runs.resolve("a")).build());
        List<EpochRecord> second = history(run(config, runs.resolve("b")).build());
        assertEquals(first, second, "same seed, same data: same metrics");
        assertSameParameters(runs.resolve("a"), runs.resolve("b"));

        Path interrupted = runs.resolve("c");
        // Stop after step 3 of epoch 2: a mid-epoch checkpoint, nothing of epoch 2 validated yet.
        StopSignal midEpoch = new StopSignal();
        try (TrainingResult stopped = run(config, interrupted).stopSignal(midEpoch)
                .listener(new MetricsJsonlWriter()).listener(stopAt(midEpoch, 2, 3)).build().run()) {
            assertTrue(stopped.stopped());
            assertEquals(interrupted.resolve("checkpoints/epoch-002-step-000003"), stopped.lastCheckpoint());
            assertEquals(1, stopped.history().size());
        }
        assertTrue(midEpoch.awaitFinished(java.time.Duration.ZERO), "the loop reports that it has finished");
        // Resume, then stop at the end of epoch 2 (after its checkpoint).
        StopSignal atEpochEnd = new StopSignal();
        try (TrainingResult stopped = run(config, interrupted).resume(true).stopSignal(atEpochEnd)
                .listener(new MetricsJsonlWriter()).listener(stopAfterEpoch(atEpochEnd, 2)).build().run()) {
            assertTrue(stopped.stopped());
            assertEquals(interrupted.resolve("checkpoints/epoch-002"), stopped.lastCheckpoint());
        }
        List<EpochRecord> resumed = history(run(config, interrupted).resume(true).listener(new MetricsJsonlWriter()).build());
        assertEquals(first, resumed, "stop and resume end where the uninterrupted run ends");
        assertSameParameters(runs.resolve("a"), interrupted);
        assertEquals(3, MetricsJsonlWriter.read(interrupted.resolve(MetricsJsonlWriter.FILE_NAME)).size());
    }

    @Test
    void earlyStopAndResumeNeedsTheSameConfig() throws IOException {
        TrainingConfig config = config(6).toBuilder().earlyStopPatience(1).build();
        Path directory = runs.resolve("early");
        List<EpochRecord> history;
        try (TrainingResult result = run(config, directory).build().run()) {
            assertTrue(result.earlyStopped());
            assertEquals(lastAurocImprovement(result.history()) + 1, result.history().size(),
                    "one epoch without a higher AUROC, then stop");
            history = result.history();
        }
        IllegalArgumentException fresh = assertThrows(IllegalArgumentException.class,
                () -> run(config, directory).build().run());
        assertTrue(fresh.getMessage().contains("already holds checkpoints"), fresh.getMessage());
        TrainingConfig changed = config.toBuilder().learningRate(0.5).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(changed, directory).resume(true).build().run());
        assertTrue(e.getMessage().contains("different configuration"), e.getMessage());
        // Loader threads do not change what is learned, so they may differ; an early-stopped run stays stopped.
        try (TrainingResult again = run(config.toBuilder().loaderWorkers(1).build(), directory).resume(true).build().run()) {
            assertTrue(again.earlyStopped());
            assertEquals(history, again.history());
        }
    }

    @Test
    void multiLabelOnTwoShardsWithSgd() throws IOException {
        TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(16).learningRate(0.05)
                .optimizer(TrainingConfig.OptimizerKind.SGD).momentum(0.9).schedule(TrainingConfig.ScheduleKind.STEP)
                .stepEpochs(2).warmupEpochs(0).seed(5).multiLabel(true).numClasses(2)
                .labelNames(List.of("blob", "bright blob")).classWeighting(TrainingConfig.ClassWeighting.AUTO)
                .deviceNames(List.of("cpu", "cpu")).bootstrapResamples(100).build();
        List<Integer> arraysAfterEachEpoch = new java.util.ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             TrainingResult result = TrainingRun.builder().config(config).model(() -> SyntheticBlobs.tinyCnn(false, 2))
                     .trainData(SyntheticBlobs.multiLabelDataset(manager, 192, 11))
                     .validationData(SyntheticBlobs.multiLabelDataset(manager, 96, 12))
                     .manager(manager)
                     .listener(new TrainingListener() {
                         @Override
                         public void onEpochEnd(EpochEnd end) {
                             arraysAfterEachEpoch.add(manager.getManagedArrays().size());
                         }
                     })
                     .runDirectory(runs.resolve("multi")).build().run()) {
            assertEquals(3, result.history().size());
            assertEquals(List.of(arraysAfterEachEpoch.get(0), arraysAfterEachEpoch.get(0), arraysAfterEachEpoch.get(0)),
                    arraysAfterEachEpoch, "native arrays do not pile up from epoch to epoch");
            EvaluationReport best = result.bestValidation();
            assertEquals(null, best.confusion(), "multi-label has per-class counts, no confusion matrix");
            assertTrue(best.classes().get(0).auroc() >= 0.9, "blob AUROC " + best.classes().get(0).auroc());
            assertTrue(best.macroAuroc() >= 0.8, "macro AUROC " + best.macroAuroc());
        }
    }

    private static List<EpochRecord> history(TrainingRun run) throws IOException {
        try (TrainingResult result = run.run()) {
            assertFalse(result.stopped());
            return result.history().stream().map(EpochRecord::withoutTimings).toList();
        }
    }

    private static void assertSameParameters(Path runA, Path runB) throws IOException {
        for (String file : new String[] {Checkpoints.PARAMETERS_FILE, Checkpoints.OPTIMIZER_FILE}) {
            assertArrayEquals(Files.readAllBytes(runA.resolve("checkpoints/epoch-003").resolve(file)),
                    Files.readAllBytes(runB.resolve("checkpoints/epoch-003").resolve(file)), file);
        }
    }

    /** A listener that asks the run to stop after step {@code step} of epoch {@code epoch} (a simulated kill). */
    static TrainingListener stopAt(StopSignal signal, int epoch, int step) {
        return new TrainingListener() {
            @Override
            public void onStep(Step s) {
                if (s.epoch() == epoch && s.stepInEpoch() == step) {
                    signal.requestStop();
                }
            }
        };
    }

    private static TrainingListener stopAfterEpoch(StopSignal signal, int epoch) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEnd end) {
                if (end.record().epoch() == epoch) {
                    signal.requestStop();
                }
            }
        };
    }

    private static void assertImage(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " decodes");
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

    private static int lastAurocImprovement(List<EpochRecord> history) {
        int last = 1;
        double best = history.get(0).macroAuroc();
        for (EpochRecord r : history) {
            if (r.macroAuroc() > best) {
                best = r.macroAuroc();
                last = r.epoch();
            }
        }
        return last;
    }
}
