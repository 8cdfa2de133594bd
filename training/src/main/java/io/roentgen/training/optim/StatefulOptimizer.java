package io.roentgen.training.optim;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** An optimizer whose per-parameter buffers live in an {@link OptimizerState} that checkpoints save. */
abstract class StatefulOptimizer implements ParameterOptimizer {
    protected final OptimizerState state;

    StatefulOptimizer(NDManager manager, int buffersPerParameter) {
        this.state = new OptimizerState(manager, buffersPerParameter);
    }

    @Override
    public long updates() {
        return state.updates();
    }

    @Override
    public NDList state() {
        return state.asList();
    }

    @Override
    public void restore(NDList saved, long updates) {
        state.restore(saved, updates);
    }

    @Override
    public void close() {
        state.close();
    }
}
