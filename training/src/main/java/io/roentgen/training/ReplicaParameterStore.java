package io.roentgen.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import java.util.Map;

/**
 * Hands a block the parameter arrays of one shard: the replicas made for that shard, or the
 * parameters themselves for the first shard. Replaces DJL's multi-device {@code ParameterStore}
 * logic, whose shared copies are what the DJL 2459 zero-gradient bug trips over.
 */
final class ReplicaParameterStore extends ParameterStore {
    private final Map<String, NDArray> replicas;

    /** @param replicas by parameter id; parameters not in the map are used as they are */
    ReplicaParameterStore(Map<String, NDArray> replicas) {
        this.replicas = replicas;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null;
        }
        NDArray replica = replicas.get(parameter.getId());
        return replica != null ? replica : parameter.getArray();
    }

    @Override
    public void updateAllParameters() {
        throw new UnsupportedOperationException("DataParallelStep updates the parameters");
    }
}
