package io.roentgen.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;

import java.util.List;

/**
 * Adam with bias correction (betas 0.9/0.999, eps 1e-8). {@code decoupled} = AdamW: the weight
 * decay shrinks the weights directly (w -= lr*wd*w); otherwise it is added to the gradient (L2),
 * as the original Adam does.
 */
final class Adam extends StatefulOptimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final float weightDecay;
    private final boolean decoupled;

    Adam(NDManager manager, double weightDecay, boolean decoupled) {
        super(manager, 2);
        this.weightDecay = (float) weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    public void step(List<Parameter> parameters, List<NDArray> gradients, float learningRate) {
        long t = state.nextUpdate();
        double correction1 = 1 - Math.pow(BETA1, t);
        double correction2 = 1 - Math.pow(BETA2, t);
        try (NDScope scope = new NDScope()) {
            for (int i = 0; i < parameters.size(); i++) {
                update(parameters, i, gradients.get(i), learningRate, correction1, correction2);
            }
            scope.suppressNotUsedWarning();
        }
    }

    private void update(List<Parameter> parameters, int i, NDArray gradient, float lr,
                        double correction1, double correction2) {
        Parameter parameter = parameters.get(i);
        // A detached view shares the weights' storage: in-place updates on it change the weights
        // without autograd objecting to in-place changes of a leaf that requires gradients.
        NDArray weights = parameter.getArray().stopGradient();
        boolean decay = weightDecay > 0 && ParameterOptimizer.decays(parameter);
        NDArray g = decay && !decoupled ? gradient.add(weights.mul(weightDecay)) : gradient;
        NDArray m = state.buffer(parameters, i, 0).muli(BETA1).addi(g.mul(1 - BETA1));
        NDArray v = state.buffer(parameters, i, 1).muli(BETA2).addi(g.square().muli(1 - BETA2));
        if (decay && decoupled) {
            weights.subi(weights.mul(lr * weightDecay));
        }
        NDArray denominator = v.div(correction2).sqrt().addi(EPSILON);
        weights.subi(m.div(denominator).muli(lr / correction1));
    }
}
