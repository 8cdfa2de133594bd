package io.roentgen.models.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

/**
 * 2-D convolution for Roentgen's layers, with one detour: 1x1 convolutions (no groups, no
 * padding, any stride) run as a matrix product over the pixels. The oneDNN in DJL's libtorch
 * 2.7.1 mishandles them (docs/DECISIONS.md 32): channels-last with 40 output channels it
 * returned outputs 60% off a float64 reference, and for ResNet-50's bottleneck pairs (256 to
 * 1024, 1024 to 512, ...) it divides by zero while planning on CPUs without AMX with more than
 * one thread (SIGFPE: the JVM dies), in the backward pass even in NCHW. A matrix product is
 * what a 1x1 convolution computes, so only oneDNN's kernel choice is lost.
 */
final class Conv2dOps {
    private Conv2dOps() {
    }

    /** {@code Conv2d.conv2d} with the detour above. */
    static NDList conv2d(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation,
            int groups) {
        if (needsMatMul(weight.getShape(), padding, dilation, groups)) {
            return new NDList(asMatMul(x, weight, bias, stride));
        }
        return Conv2d.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    static boolean needsMatMul(Shape weight, Shape padding, Shape dilation, int groups) {
        return weight.get(2) == 1 && weight.get(3) == 1 && groups == 1
                && padding.get(0) == 0 && padding.get(1) == 0 && dilation.get(0) == 1 && dilation.get(1) == 1;
    }

    /**
     * The 1x1 convolution of {@code x} (N x C x H x W, any layout) as (N*H*W x C) times (C x O);
     * the result is channels-last, as oneDNN's own output for a channels-last input.
     */
    static NDArray asMatMul(NDArray x, NDArray weight, NDArray bias, Shape stride) {
        NDArray sampled = stride.get(0) == 1 && stride.get(1) == 1 ? x
                : x.get(new NDIndex().addAllDim(2).addSliceDim(0, x.getShape().get(2), stride.get(0))
                        .addSliceDim(0, x.getShape().get(3), stride.get(1))); // no string: parsing it cost 0.1 ms
        Shape s = sampled.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        long out = weight.getShape().get(0);
        NDArray nhwc = sampled.transpose(0, 2, 3, 1);
        NDArray pixels = nhwc.reshape(n * h * w, c); // a view when NHWC-contiguous
        NDArray matrix = weight.reshape(out, c);
        // linear: one addmm, the bias written with the product rather than in a second pass
        NDArray y = Linear.linear(pixels, matrix, bias).singletonOrThrow();
        NDArray yNhwc = y.reshape(n, h, w, out);
        NDArray result = yNhwc.transpose(0, 3, 1, 2);
        // The result is a view of y: the handles in between would keep y's memory until the
        // caller's manager closes (Intermediates).
        for (NDArray consumed : new NDArray[] {nhwc, pixels, matrix, y, yNhwc}) {
            consumed.close();
        }
        if (sampled != x) {
            sampled.close();
        }
        return result;
    }
}
