package io.roentgen.models.arch;

import ai.djl.nn.Block;
import ai.djl.training.initializer.Initializer;

/**
 * DenseNet-121 exactly as torchvision defines it (Huang et al. 2017, DenseNet-BC; the CheXNet
 * backbone): growth rate 32, dense blocks of 6/12/24/16 layers, bottleneck width 4 x growth,
 * compression 0.5 in the transitions, a 64-channel 7x7/2 stem conv + BN + ReLU + 3x3/2 max pool,
 * then a final BN, ReLU, global average pooling and a linear classifier. Dropout rate 0 (the
 * torchvision default). Convs have no bias.
 *
 * <p>Initialisation as torchvision: Kaiming normal with its defaults (fan_in) for convs, BN weight 1
 * and bias 0, the classifier's bias 0 and its weight PyTorch's default.
 */
final class DenseNets {

    private static final int GROWTH_RATE = 32;
    private static final int BOTTLENECK_FACTOR = 4;
    private static final int INITIAL_FEATURES = 64;

    private DenseNets() {}

    static Block densenet121(ArchitectureSpec spec) {
        return build(spec, new int[] {6, 12, 24, 16});
    }

    private static Block build(ArchitectureSpec spec, int[] layersPerBlock) {
        NamedSequentialBlock features = new NamedSequentialBlock()
                .add("conv0", conv(INITIAL_FEATURES, 7, 2, 3))
                .add("norm0", Layers.batchNorm())
                .add("relu0", Layers.relu())
                .add("pool0", Layers.maxPool(3, 2, 1));
        int channels = INITIAL_FEATURES;
        for (int i = 0; i < layersPerBlock.length; i++) {
            features.add("denseblock" + (i + 1), denseBlock(layersPerBlock[i]));
            channels += layersPerBlock[i] * GROWTH_RATE;
            if (i < layersPerBlock.length - 1) {
                channels /= 2;
                features.add("transition" + (i + 1), transition(channels));
            }
        }
        features.add("norm5", Layers.batchNorm());
        return new NamedSequentialBlock()
                .add("features", features)
                .add("relu", Layers.relu())
                .add("avgpool", Layers.globalAvgPoolFlat())
                .add("classifier", Layers.linear(spec.numClasses(), TorchInit.DEFAULT_WEIGHT, Initializer.ZEROS));
    }

    private static DenseBlock denseBlock(int layers) {
        DenseBlock block = new DenseBlock();
        for (int i = 0; i < layers; i++) {
            block.addLayer("denselayer" + (i + 1), denseLayer());
        }
        return block;
    }

    /** BN-ReLU-conv1x1 (4k channels) then BN-ReLU-conv3x3 (k channels), torchvision's {@code _DenseLayer}. */
    private static Block denseLayer() {
        return new NamedSequentialBlock()
                .add("norm1", Layers.batchNorm())
                .add("relu1", Layers.relu())
                .add("conv1", conv(BOTTLENECK_FACTOR * GROWTH_RATE, 1, 1, 0))
                .add("norm2", Layers.batchNorm())
                .add("relu2", Layers.relu())
                .add("conv2", conv(GROWTH_RATE, 3, 1, 1));
    }

    /** BN-ReLU-conv1x1 halving the channels, then 2x2 average pooling: {@code _Transition}. */
    private static Block transition(int outChannels) {
        return new NamedSequentialBlock()
                .add("norm", Layers.batchNorm())
                .add("relu", Layers.relu())
                .add("conv", conv(outChannels, 1, 1, 0))
                .add("pool", Layers.avgPool(2, 2));
    }

    private static Block conv(int filters, int kernel, int stride, int pad) {
        return Layers.convNoBias(filters, kernel, stride, pad, TorchInit.KAIMING_NORMAL_FAN_IN);
    }
}
