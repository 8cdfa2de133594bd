package io.roentgen.models.arch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's {@link Conv2d} (same parameters, same saved bytes) computing through {@link Conv2dOps},
 * so that 1x1 convolutions never reach oneDNN.
 */
final class Conv2dLayer extends Conv2d {

    Conv2dLayer(Conv2d.Builder builder) {
        super(builder);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        NDArray w = store.getValue(weight, device, training);
        NDArray b = bias == null ? null : store.getValue(bias, device, training);
        return Conv2dOps.conv2d(x, w, b, stride, padding, dilation, groups);
    }
}
