package io.roentgen.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;

import java.util.List;

/** SGD with (PyTorch-style) momentum: buf = mu*buf + (g + wd*w); w -= lr*buf. */
final class SgdMomentum extends StatefulOptimizer {
    private final float momentum;
    private final float weightDecay;

    SgdMomentum(NDManager manager, double momentum, double weightDecay) {
        super(manager, 1);
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
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
                weights.subi(buffer.mul(learningRate));
            }
            scope.suppressNotUsedWarning();
        }
    }
}
