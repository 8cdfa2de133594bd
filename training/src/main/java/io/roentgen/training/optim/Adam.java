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

    /**
     * PyTorch's {@code _single_tensor_adamw} with in-place ops, so that an update makes three
     * temporaries per parameter (g squared, the denominator, the step) instead of seven:
     * fresh arrays of the size of the largest weights (9 MB in a ResNet-18) are each faulted in anew.
     */
    private void update(List<Parameter> parameters, int i, NDArray gradient, float lr,
                        double correction1, double correction2) {
        Parameter parameter = parameters.get(i);
        // A detached view shares the weights' storage: in-place updates on it change the weights
        // without autograd objecting to in-place changes of a leaf that requires gradients.
        NDArray weights = parameter.getArray().stopGradient();
        boolean decay = weightDecay > 0 && ParameterOptimizer.decays(parameter);
        NDArray g = decay && !decoupled ? gradient.add(weights.mul(weightDecay)) : gradient;
        if (decay && decoupled) {
            weights.muli(1 - lr * weightDecay);
        }
        // m = beta1 * m + (1 - beta1) * g, written (m - g) * beta1 + g to need no temporary
        NDArray m = state.buffer(parameters, i, 0).subi(g).muli(BETA1).addi(g);
        NDArray v = state.buffer(parameters, i, 1).muli(BETA2).addi(g.square().muli(1 - BETA2));
        NDArray denominator = v.sqrt().divi((float) Math.sqrt(correction2)).addi(EPSILON);
        weights.subi(m.div(denominator).muli((float) (lr / correction1)));
    }
}
