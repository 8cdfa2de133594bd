package io.roentgen.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.torch.Precision;
import io.roentgen.training.precision.LossScaler;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fp16 training under autocast on the CPU, with the GradScaler rule inside real runs: an
 * overflowing step is skipped and the scale halved, and a run resumed from a checkpoint (with the
 * scaler's state) ends exactly where the uninterrupted run ends.
 */
class Fp16LossScalingTrainingTest {
    private static NDManager dataManager;

    @TempDir
    Path runs;

    @BeforeAll
    static void data() {
        EngineSettings.fromEnvironment().apply();
        dataManager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void release() {
        dataManager.close();
    }

    private static TrainingConfig.Builder config(int epochs, Precision precision) {
        return TrainingConfig.builder().epochs(epochs).batchSize(32).learningRate(3e-3)
                .optimizer(TrainingConfig.OptimizerKind.ADAMW).weightDecay(1e-4)
                .schedule(TrainingConfig.ScheduleKind.COSINE).warmupEpochs(0.5).seed(5)
                .numClasses(2).labelNames(List.of("no blob", "blob"))
                .loaderWorkers(1).prefetchBatches(2).bootstrapResamples(0).precision(precision);
    }

    @Test
    void fp16OverflowSkipsTheStepAndHalvesTheScale() throws IOException {
        // dL/dlogits is up to 1/16 per case at batch 16: times 2^24 it overflows fp16 (max 65504)
        float initial = 0x1p24f;
        Path directory = runs.resolve("overflow");
        try (TrainingResult result = blobRun(config(1, Precision.FP16).batchSize(16).initialLossScale(initial).build(),
                directory).build().run()) {
            assertNotNull(result.lastCheckpoint());
        }
        CheckpointState state = Checkpoints.readState(directory.resolve("checkpoints/epoch-001"));
        long skipped = state.globalStep() - state.optimizerUpdates();
        assertTrue(skipped >= 1, "the overflowing steps were skipped: " + state.globalStep() + " steps, "
                + state.optimizerUpdates() + " updates");
        assertTrue(state.optimizerUpdates() >= 1, "once the scale came down, steps were taken: " + state.lossScale());
        assertEquals(new LossScaler.State((float) (initial * Math.pow(0.5, skipped)), (int) state.optimizerUpdates()),
                state.lossScale(), "halved once per skipped step, counting the good steps since");
        assertTrue(state.lossScale().scale() <= 65504f, "the scale came down to fp16's range");
    }

    @Test
    void fp16ResumeWithTheScalerStateIsExact() throws IOException {
        TrainingConfig config = config(2, Precision.FP16).initialLossScale(0x1p20f).build();
        Path whole = runs.resolve("whole");
        blobRun(config, whole).build().run().close();
        Path interrupted = runs.resolve("interrupted");
        StopSignal stop = new StopSignal();
        try (TrainingResult stopped = blobRun(config, interrupted).stopSignal(stop).listener(TrainingRunTest.stopAt(stop, 1, 3)).build().run()) {
            assertTrue(stopped.stopped());
        }
        CheckpointState middle = Checkpoints.readState(interrupted.resolve("checkpoints/epoch-001-step-000003"));
        assertNotNull(middle.lossScale(), "the scaler state is in the checkpoint");
        CheckpointState end = Checkpoints.readState(whole.resolve("checkpoints/epoch-002"));
        assertTrue(end.optimizerUpdates() > middle.globalStep() && end.globalStep() > end.optimizerUpdates(),
                "steps were skipped, and updates followed the stop: " + end.globalStep() + " steps, "
                        + end.optimizerUpdates() + " updates, " + middle.optimizerUpdates() + " before the stop");
        blobRun(config, interrupted).resume(true).build().run().close();
        for (String file : new String[] {Checkpoints.PARAMETERS_FILE, Checkpoints.OPTIMIZER_FILE}) {
            assertArrayEquals(Files.readAllBytes(whole.resolve("checkpoints/epoch-002").resolve(file)),
                    Files.readAllBytes(interrupted.resolve("checkpoints/epoch-002").resolve(file)), file);
        }
        assertEquals(Checkpoints.readState(whole.resolve("checkpoints/epoch-002")).lossScale(),
                Checkpoints.readState(interrupted.resolve("checkpoints/epoch-002")).lossScale());
        assertEquals(Precision.FP16, end.config().precision());
    }

    private TrainingRun.Builder blobRun(TrainingConfig config, Path directory) {
        return TrainingRun.builder().config(config).model(() -> SyntheticBlobs.tinyCnn(true, 2))
                .trainData(SyntheticBlobs.dataset(dataManager, 192, 0.4, 1))
                .validationData(SyntheticBlobs.dataset(dataManager, 64, 0.4, 2)).runDirectory(directory);
    }

}
