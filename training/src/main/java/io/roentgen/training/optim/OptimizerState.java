package io.roentgen.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * Buffers of an optimizer, {@code slots} per parameter (Adam: 2, SGD: 1), created as zeros on
 * first use in a manager of their own so that step scopes never close them.
 */
final class OptimizerState implements AutoCloseable {
    private final NDManager manager;
    private final int slots;
    private final List<NDArray> buffers = new ArrayList<>();
    private long updates;

    OptimizerState(NDManager parent, int slots) {
        this.manager = parent.newSubManager();
        this.slots = slots;
    }

    NDArray buffer(List<Parameter> parameters, int parameter, int slot) {
        if (buffers.isEmpty()) {
            for (Parameter p : parameters) {
                for (int s = 0; s < slots; s++) {
                    NDArray zeros = manager.zeros(p.getArray().getShape(), p.getArray().getDataType(),
                            p.getArray().getDevice());
                    NDScope.unregister(zeros);
                    buffers.add(zeros);
                }
            }
        }
        return buffers.get(parameter * slots + slot);
    }

    long nextUpdate() {
        return ++updates;
    }

    long updates() {
        return updates;
    }

    NDList asList() {
        return new NDList(buffers);
    }

    void restore(NDList state, long restoredUpdates) {
        buffers.forEach(NDArray::close);
        buffers.clear();
        for (NDArray array : state) {
            NDArray own = array.duplicate();
            own.attach(manager);
            NDScope.unregister(own);
            buffers.add(own);
        }
        updates = restoredUpdates;
    }

    @Override
    public void close() {
        manager.close();
    }
}
