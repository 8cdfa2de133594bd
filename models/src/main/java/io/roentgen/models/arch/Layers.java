package io.roentgen.models.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import io.roentgen.engine.torch.InPlaceOps;

/**
 * The layer vocabulary shared by the architectures, each made to behave as its PyTorch
 * counterpart (same hyper-parameters, same initialisation).
 */
final class Layers {

    private Layers() {}

    /** A square convolution with padding {@code pad}, like {@code nn.Conv2d(..., bias=bias)}. */
    static Conv2d conv(int filters, int kernel, int stride, int pad, int groups, boolean bias, Initializer weightInit) {
        Conv2d conv = new Conv2dLayer(Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .optGroups(groups)
                .optBias(bias));
        conv.setInitializer(weightInit, Parameter.Type.WEIGHT);
        return conv;
    }

    /** A convolution without bias (it is always followed by batch norm in these networks). */
    static Conv2d convNoBias(int filters, int kernel, int stride, int pad, Initializer weightInit) {
        return conv(filters, kernel, stride, pad, 1, false, weightInit);
    }


    /** {@code nn.BatchNorm2d(c)}: eps 1e-5, momentum 0.1, weight 1, bias 0. */
    static BatchNorm2d batchNorm() {
        return new BatchNorm2d();
    }

    /** A fully connected layer with explicit initialisation (DJL infers the input width). */
    static Linear linear(int units, Initializer weightInit, Initializer biasInit) {
        Linear linear = Linear.builder().setUnits(units).build();
        linear.setInitializer(weightInit, Parameter.Type.WEIGHT);
        linear.setInitializer(biasInit, Parameter.Type.BIAS);
        return linear;
    }

    /** {@code nn.Linear(inFeatures, units)} with PyTorch's default initialisation. */
    static Linear torchDefaultLinear(int inFeatures, int units) {
        return linear(units, TorchInit.DEFAULT_WEIGHT, TorchInit.defaultBias(inFeatures));
    }

    static Block relu() {
        return ShapedLambdaBlock.elementwise(InPlaceOps::relu);
    }

    static Block relu6() {
        return ShapedLambdaBlock.elementwise(InPlaceOps::relu6);
    }

    static Block maxPool(int kernel, int stride, int pad) {
        return Pool.maxPool2dBlock(new Shape(kernel, kernel), new Shape(stride, stride), new Shape(pad, pad));
    }

    static Block avgPool(int kernel, int stride) {
        return Pool.avgPool2dBlock(new Shape(kernel, kernel), new Shape(stride, stride));
    }

    /** {@code adaptive_avg_pool2d(x, 1)} followed by {@code flatten(x, 1)}: (N, C, H, W) to (N, C). */
    static Block globalAvgPoolFlat() {
        return new ShapedLambdaBlock(Layers::globalAvgPoolFlat, shape -> new Shape(shape.get(0), shape.get(1)));
    }

    private static NDArray globalAvgPoolFlat(NDArray x) {
        Shape shape = x.getShape();
        return Pool.globalAvgPool2d(x).reshape(shape.get(0), shape.get(1));
    }
}
