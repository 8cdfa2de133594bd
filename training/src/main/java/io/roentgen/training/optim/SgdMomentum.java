package io.roentgen.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;

import java.util.List;

/**
 * SGD with PyTorch's momentum (dampening 0): d = g + wd*w; buf = mu*buf + d; w -= lr*buf, or with
 * Nesterov w -= lr*(d + mu*buf). (The buffer starts at zero, so the first step sets it to d, as
 * PyTorch's does.)
 */
final class SgdMomentum extends StatefulOptimizer {
    private final float momentum;
    private final float weightDecay;
    private final boolean nesterov;

    SgdMomentum(NDManager manager, double momentum, double weightDecay, boolean nesterov) {
        super(manager, 1);
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    public void step(List<Parameter> parameters, List<NDArray> gradients, float learningRate) {
        state.nextUpdate();
        try (NDScope scope = new NDScope()) {
            for (int i = 0; i < parameters.size(); i++) {
                Parameter parameter = parameters.get(i);
                NDArray weights = parameter.getArray().stopGradient();
                NDArray g = weightDecay > 0 && ParameterOptimizer.decays(parameter)
                        ? gradients.get(i).add(weights.mul(weightDecay)) : gradients.get(i);
                NDArray buffer = state.buffer(parameters, i, 0).muli(momentum).addi(g);
                NDArray direction = nesterov ? buffer.mul(momentum).addi(g) : buffer;
                weights.subi(direction.mul(learningRate));
            }
            scope.suppressNotUsedWarning();
        }
    }
}
