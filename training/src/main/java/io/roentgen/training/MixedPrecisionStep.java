package io.roentgen.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.roentgen.engine.torch.Autocast;
import io.roentgen.engine.torch.Precision;
import io.roentgen.training.optim.ParameterOptimizer;
import io.roentgen.training.precision.LossScaler;

/**
 * A {@link DataParallelStep} in mixed precision, PyTorch's recipe: the master weights and the
 * optimizer stay fp32; forward and backward run under libtorch's autocast in bf16 or fp16. fp16
 * also scales the loss ({@link LossScaler}, GradScaler's rule): gradients are checked for
 * inf/NaN, unscaled, and the step is skipped when they overflowed. fp32 is the plain step.
 */
public final class MixedPrecisionStep {
    private final DataParallelStep step;
    private final Device device;
    private final Precision precision;
    private final LossScaler scaler;
    private long skippedSteps;

    /**
     * @param scaler the loss scaler for fp16 (its state restored from a checkpoint, or new); unused otherwise
     */
    public MixedPrecisionStep(DataParallelStep step, Device device, Precision precision, LossScaler scaler) {
        this.step = step;
        this.device = device;
        this.precision = precision;
        this.scaler = scaler;
    }

    /**
     * Trains on one batch in this precision.
     *
     * @return the batch mean loss (unscaled)
     */
    public float step(NDArray images, NDArray labels, ParameterOptimizer optimizer, float learningRate) {
        if (precision != Precision.FP16) {
            try (Autocast.Scope amp = Autocast.on(device, precision)) {
                return step.step(images, labels, optimizer, learningRate);
            }
        }
        try (NDScope scope = new NDScope()) {
            float scale = scaler.scale();
            DataParallelStep.Gradients gradients;
            try (Autocast.Scope amp = Autocast.on(device, precision)) {
                gradients = step.gradients(images, labels, scale);
            }
            if (scaler.update(LossScaler.overflowed(gradients.sums()))) {
                // divided by the scale the loss was multiplied with (update() may have grown it since)
                for (NDArray g : gradients.sums()) {
                    g.divi(scale);
                }
                optimizer.step(step.trainableParameters(), gradients.sums(), learningRate);
            } else {
                skippedSteps++;
            }
            scope.suppressNotUsedWarning();
            return gradients.meanLoss();
        }
    }

    /** The loss scaler's state, for the checkpoint (fp16). */
    public LossScaler.State scalerState() {
        return scaler.state();
    }

    /** Steps skipped because their fp16 gradients overflowed. */
    public long skippedSteps() {
        return skippedSteps;
    }
}
