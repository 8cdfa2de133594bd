package io.roentgen.training;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * PyTorch's {@code torch.nn.utils.clip_grad_norm_} with the 2-norm: the global norm is the norm of
 * the per-tensor norms; if it exceeds {@code maxNorm}, every gradient is scaled in place by
 * {@code maxNorm / (norm + 1e-6)} (the same epsilon, so the scaled norm lands just under the bound).
 */
final class GradientClipping {
    private static final double EPSILON = 1e-6;

    private GradientClipping() {
    }

    /** Scales {@code gradients} in place when needed; returns the norm before clipping. */
    static double clip(List<NDArray> gradients, double maxNorm) {
        double squares = 0;
        for (NDArray gradient : gradients) {
            double norm = gradient.norm().getFloat();
            squares += norm * norm;
        }
        double total = Math.sqrt(squares);
        double coefficient = maxNorm / (total + EPSILON);
        if (coefficient < 1) {
            for (NDArray gradient : gradients) {
                gradient.muli((float) coefficient);
            }
        }
        return total;
    }
}
