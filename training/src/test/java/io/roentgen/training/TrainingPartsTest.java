package io.roentgen.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.roentgen.training.run.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small parts of the loop: config, schedule, class weights, loss, checkpoint ordering. */
class TrainingPartsTest {

    @Test
    void configRoundTripsThroughJson() {
        TrainingConfig config = TrainingConfig.builder().epochs(7).batchSize(12).optimizer(TrainingConfig.OptimizerKind.SGD)
                .momentum(0.8).schedule(TrainingConfig.ScheduleKind.STEP).stepEpochs(3).multiLabel(true).numClasses(3)
                .labelNames(List.of("effusion", "nodule", "cardiomegaly")).explicitClassWeights(1, 2, 3)
                .deviceNames(List.of("gpu:0", "gpu1")).build();
        TrainingConfig back = TrainingConfig.fromJson(config.toJson());
        assertEquals(config, back);
        assertEquals(List.of(Device.gpu(0), Device.gpu(1)), back.devices());
        assertArrayEquals(new double[] {1, 2, 3}, back.explicitClassWeights());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().numClasses(3).labelNames(List.of("a")).build());
        assertTrue(e.getMessage().contains("labelNames has 1 names for 3 classes"), e.getMessage());
    }

    @Test
    void cosineScheduleWithLinearWarmup() {
        TrainingConfig config = TrainingConfig.builder().epochs(2).learningRate(0.1).warmupEpochs(0.5).build();
        LearningRateSchedule schedule = new LearningRateSchedule(config, 4); // 8 steps, 2 of warm-up
        assertEquals(0.05, schedule.rate(0), 1e-12);
        assertEquals(0.1, schedule.rate(1), 1e-12);
        assertEquals(0.1, schedule.rate(2), 1e-12);
        assertEquals(0.05, schedule.rate(5), 1e-12); // half-way through the 6 cosine steps
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * 5 / 6)), schedule.rate(7), 1e-12);
        assertEquals((float) schedule.rate(5), schedule.getNewValue(5));

        LearningRateSchedule step = new LearningRateSchedule(config.toBuilder().warmupEpochs(0)
                .schedule(TrainingConfig.ScheduleKind.STEP).stepEpochs(1).stepGamma(0.1).build(), 4);
        assertEquals(0.1, step.rate(3), 1e-12);
        assertEquals(0.01, step.rate(4), 1e-12);
    }

    @Test
    void automaticClassWeights() {
        ClassWeights.LabelCounts counts = new ClassWeights.LabelCounts(new long[] {30, 10}, 40);
        double[] weights = ClassWeights.inverseFrequency(counts);
        assertArrayEquals(new double[] {40.0 / 60, 2.0}, weights, 1e-12);
        assertEquals(40, 30 * weights[0] + 10 * weights[1], 1e-9, "average weight per case is 1");
        assertArrayEquals(new double[] {3.0, 1.0},
                ClassWeights.positiveWeights(new ClassWeights.LabelCounts(new long[] {10, 0}, 40)), 1e-12);
    }

    @Test
    void weightedLossesMatchHandComputation() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            WeightedLoss crossEntropy = new WeightedLoss(false, 2, new double[] {0.5, 2});
            float ce = crossEntropy.compute(manager.create(new float[] {2, 0, 0, 1}, new Shape(2, 2)),
                    manager.create(new long[] {0, 1})).getFloat();
            assertEquals((0.5 * Math.log1p(Math.exp(-2)) + 2 * Math.log1p(Math.exp(-1))) / 2, ce, 1e-6);

            WeightedLoss bce = new WeightedLoss(true, 2, new double[] {3, 0.5});
            float b = bce.compute(manager.create(new float[] {1, -2}, new Shape(1, 2)),
                    manager.create(new float[] {1, 0}, new Shape(1, 2))).getFloat();
            assertEquals((3 * Math.log1p(Math.exp(-1)) + Math.log1p(Math.exp(-2))) / 2, b, 1e-6);

            float extreme = bce.compute(manager.create(new float[] {100, -100}, new Shape(1, 2)),
                    manager.create(new float[] {0, 1}, new Shape(1, 2))).getFloat();
            assertEquals((100 + 0.5 * 100) / 2.0, extreme, 1e-3, "no overflow for large logits");
        }
    }

    @Test
    void latestCheckpointIsTheFurthestComplete(@TempDir Path run) throws IOException {
        Checkpoints checkpoints = new Checkpoints(run);
        assertTrue(checkpoints.latest().isEmpty());
        complete(checkpoints.pathFor(3, 0));
        complete(checkpoints.pathFor(4, 17));
        Files.createDirectories(checkpoints.directory().resolve("epoch-004.partial"));
        Files.createDirectories(checkpoints.pathFor(5, 0)); // no checkpoint.json: incomplete
        assertEquals(checkpoints.directory().resolve("epoch-004-step-000017"), checkpoints.latest().orElseThrow());
        complete(checkpoints.pathFor(4, 0));
        assertEquals(checkpoints.directory().resolve("epoch-004"), checkpoints.latest().orElseThrow());
    }

    @Test
    void shutdownHookRequestsAStopAndWaitsForTheLoop() {
        StopSignal signal = new StopSignal();
        Thread hook = signal.installShutdownHook(java.time.Duration.ofSeconds(5));
        assertTrue(Runtime.getRuntime().removeShutdownHook(hook), "the hook was registered");
        signal.markFinished(); // as the loop does when it has written its checkpoint
        hook.run();
        assertTrue(signal.isStopRequested());
    }

    @Test
    void plainProgressHasNoCarriageReturns() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        io.roentgen.training.listen.ProgressPrinter plain = new io.roentgen.training.listen.ProgressPrinter(
                new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8), false);
        plain.onStep(new io.roentgen.training.listen.TrainingListener.Step(1, 2, 3, 10, 48, 2.0, 0.5, 1e-3));
        assertEquals("", bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        io.roentgen.training.listen.ProgressPrinter terminal = new io.roentgen.training.listen.ProgressPrinter(
                new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8), true);
        terminal.onStep(new io.roentgen.training.listen.TrainingListener.Step(1, 2, 3, 10, 48, 2.0, 0.5, 1e-3));
        assertEquals("\repoch 1/2 [=======                 ]  30%    24.0 img/s  loss 0.5000  ETA 00:05",
                bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void complete(Path checkpoint) throws IOException {
        Files.createDirectories(checkpoint);
        Files.writeString(checkpoint.resolve(Checkpoints.STATE_FILE), "{}");
    }
}
