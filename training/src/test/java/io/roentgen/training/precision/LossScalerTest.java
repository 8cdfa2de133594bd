package io.roentgen.training.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.roentgen.engine.EngineSettings;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The GradScaler rule, step by step, with an overflow forced by a real fp16 product. */
class LossScalerTest {

    @BeforeAll
    static void loadEngine() {
        EngineSettings.fromEnvironment().apply();
    }

    @Test
    void anOverflowSkipsTheStepAndHalvesTheScaleAndGoodStepsGrowIt() {
        LossScaler scaler = new LossScaler(new LossScaler.State(1024f, 0), 3);
        assertTrue(scaler.update(false));
        assertTrue(scaler.update(false));
        assertEquals(1024f, scaler.scale(), "not yet 3 good steps");
        assertFalse(scaler.update(true), "an overflow skips the step");
        assertEquals(512f, scaler.scale());
        assertEquals(new LossScaler.State(512f, 0), scaler.state(), "and restarts the count");
        for (int i = 0; i < 3; i++) {
            assertTrue(scaler.update(false));
        }
        assertEquals(1024f, scaler.scale(), "3 good steps in a row double it");
        assertEquals(0, scaler.state().goodSteps());
    }

    @Test
    void aRestoredStateContinuesExactlyAsTheUninterruptedScaler() {
        boolean[] outcomes = {false, false, true, false, false, false, false, true, false, false};
        LossScaler straight = new LossScaler(new LossScaler.State(8f, 0), 2);
        LossScaler resumed = new LossScaler(new LossScaler.State(8f, 0), 2);
        for (int i = 0; i < outcomes.length; i++) {
            straight.update(outcomes[i]);
            resumed.update(outcomes[i]);
            if (i == 4) {
                resumed = new LossScaler(resumed.state(), 2); // checkpoint and resume mid-run
            }
            assertEquals(straight.state(), resumed.state(), "after step " + i);
        }
        assertEquals(new LossScaler.State(32f, 0), straight.state());
    }

    @Test
    void aForcedFp16OverflowIsFoundAndSkipped() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            LossScaler scaler = new LossScaler();
            // a gradient of 2 scaled by 2^16 is 131072: past fp16's largest number (65504), so inf in fp16
            NDArray scaled = manager.create(new float[] {2f, -1f}).toType(DataType.FLOAT16, false).mul(scaler.scale());
            assertTrue(LossScaler.overflowed(List.of(scaled)));
            assertFalse(scaler.update(true));
            assertEquals(32768f, scaler.scale());
            NDArray fine = manager.create(new float[] {2f, -1f}).mul(scaler.scale());
            assertFalse(LossScaler.overflowed(List.of(fine)));
            assertTrue(scaler.update(false));
            assertTrue(LossScaler.overflowed(List.of(manager.create(new float[] {Float.NaN}))));
        }
    }

    @Test
    void aNonsenseStateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LossScaler(new LossScaler.State(0f, 0), 10));
        assertThrows(IllegalArgumentException.class, () -> new LossScaler(new LossScaler.State(Float.POSITIVE_INFINITY, 0), 10));
        assertThrows(IllegalArgumentException.class, () -> new LossScaler(new LossScaler.State(1f, 0), 0));
    }
}
