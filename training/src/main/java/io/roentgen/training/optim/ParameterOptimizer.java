package io.roentgen.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.roentgen.training.run.TrainingConfig;

import java.util.List;

/**
 * An update rule whose whole state is visible, so checkpoints can save it and a resumed run
 * continues bit for bit. (DJL's own optimizers keep their moments in private arrays.)
 *
 * <p>Weight decay applies to weights of rank >= 2 only; biases and normalisation scales/shifts
 * are not decayed (the usual practice: decaying them only hurts). This is Roentgen's one recipe,
 * not an option: the PyTorch equivalent is two parameter groups, {@code p.ndim >= 2} with the
 * decay and the rest with {@code weight_decay=0} (PytorchStepParityTest builds exactly that).
 */
public interface ParameterOptimizer extends AutoCloseable {

    /**
     * One update of {@code parameters} with {@code gradients} (same order, same device as the
     * parameter) at {@code learningRate}.
     */
    void step(List<Parameter> parameters, List<NDArray> gradients, float learningRate);

    /** Updates done so far (Adam's bias correction depends on it). */
    long updates();

    /** The state arrays, in parameter order; empty before the first step. */
    NDList state();

    /** Restores what {@link #state()} and {@link #updates()} returned. */
    void restore(NDList state, long updates);

    @Override
    void close();

    /** The optimizer the config names; its state lives in a sub-manager of {@code manager}. */
    static ParameterOptimizer create(TrainingConfig config, NDManager manager) {
        return switch (config.optimizer()) {
            case ADAMW -> new Adam(manager, config.weightDecay(), true);
            case ADAM -> new Adam(manager, config.weightDecay(), false);
            case SGD -> new SgdMomentum(manager, config.momentum(), config.weightDecay(), config.nesterov());
        };
    }

    static boolean decays(Parameter parameter) {
        return parameter.getArray().getShape().dimension() >= 2;
    }
}
