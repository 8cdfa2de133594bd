package io.roentgen.training.precision;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Dynamic loss scaling for fp16 training, PyTorch's {@code torch.cuda.amp.GradScaler} rule: the
 * loss is multiplied by {@link #scale()} before backward so small fp16 gradients do not flush to
 * zero; gradients are divided by it again before the step. A step whose gradients hold an inf or
 * NaN is skipped and the scale halved; after {@code growthInterval} good steps in a row it doubles.
 * The state is two numbers ({@link State}), saved with a checkpoint so a resumed run scales as the
 * uninterrupted one would.
 */
public final class LossScaler {
    /** GradScaler's defaults: 2^16, x2 after 2000 good steps, x0.5 on an overflow. */
    public static final float INITIAL_SCALE = 65536f;
    public static final int GROWTH_INTERVAL = 2000;
    private static final float GROWTH = 2f;
    private static final float BACKOFF = 0.5f;

    private final int growthInterval;
    private float scale;
    private int goodSteps;

    /** The checkpointed state: the scale and the good steps since it last changed. */
    public record State(float scale, int goodSteps) {
    }

    public LossScaler() {
        this(new State(INITIAL_SCALE, 0), GROWTH_INTERVAL);
    }

    public LossScaler(State state, int growthInterval) {
        if (!(state.scale() > 0) || Float.isInfinite(state.scale()) || growthInterval < 1 || state.goodSteps() < 0) {
            throw new IllegalArgumentException("loss scale must be positive and finite, growth interval >= 1: " + state
                    + ", " + growthInterval);
        }
        this.scale = state.scale();
        this.goodSteps = state.goodSteps();
        this.growthInterval = growthInterval;
    }

    public float scale() {
        return scale;
    }

    public State state() {
        return new State(scale, goodSteps);
    }

    /**
     * Records one step's outcome and updates the scale by the rule.
     *
     * @param overflowed whether the scaled gradients held an inf or NaN
     * @return whether the optimizer may step (false: skip this step)
     */
    public boolean update(boolean overflowed) {
        if (overflowed) {
            scale *= BACKOFF;
            goodSteps = 0;
            return false;
        }
        goodSteps++;
        if (goodSteps == growthInterval) {
            scale *= GROWTH;
            goodSteps = 0;
        }
        return true;
    }

    /** Whether any gradient holds an inf or NaN (one reduction per array, read once). */
    public static boolean overflowed(List<NDArray> gradients) {
        for (NDArray g : gradients) {
            // sum is inf/NaN exactly when an element is (or the sum itself overflows: also a skip in GradScaler's spirit)
            float sum = g.abs().sum().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat();
            if (!Float.isFinite(sum)) {
                return true;
            }
        }
        return false;
    }
}
