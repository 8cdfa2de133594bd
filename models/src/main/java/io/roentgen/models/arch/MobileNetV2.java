package io.roentgen.models.arch;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.initializer.Initializer;
import java.util.function.UnaryOperator;

/**
 * MobileNetV2 at width 1.0 exactly as torchvision defines it (Sandler et al. 2018): a 32-channel
 * 3x3/2 stem, seventeen inverted residual blocks from the standard (t, c, n, s) table with ReLU6,
 * a 1x1 conv to 1280 channels, global average pooling, dropout 0.2 and a linear classifier.
 * Convs have no bias (each is followed by BN).
 *
 * <p>Initialisation as torchvision: Kaiming normal (fan_out) for convs, BN weight 1 and bias 0,
 * the classifier's weight N(0, 0.01) and its bias 0.
 */
final class MobileNetV2 {

    /** Expansion t, output channels c, repeats n, first stride s. */
    private static final int[][] INVERTED_RESIDUAL_SETTING = {
        {1, 16, 1, 1},
        {6, 24, 2, 2},
        {6, 32, 3, 2},
        {6, 64, 4, 2},
        {6, 96, 3, 1},
        {6, 160, 3, 2},
        {6, 320, 1, 1},
    };
    private static final int STEM_CHANNELS = 32;
    private static final int LAST_CHANNELS = 1280;
    private static final float DROPOUT = 0.2f;

    private MobileNetV2() {}

    static Block mobilenetV2(ArchitectureSpec spec) {
        SequentialBlock features = new SequentialBlock().add(convBnRelu6(STEM_CHANNELS, 3, 2, 1));
        int channels = STEM_CHANNELS;
        for (int[] row : INVERTED_RESIDUAL_SETTING) {
            for (int i = 0; i < row[2]; i++) {
                features.add(invertedResidual(channels, row[1], i == 0 ? row[3] : 1, row[0]));
                channels = row[1];
            }
        }
        features.add(convBnRelu6(LAST_CHANNELS, 1, 1, 1));
        SequentialBlock classifier = new SequentialBlock()
                .add(Dropout.builder().optRate(DROPOUT).build())
                .add(Layers.linear(spec.numClasses(), TorchInit.normal(0.01f), Initializer.ZEROS));
        return new NamedSequentialBlock()
                .add("features", features)
                .add("avgpool", Layers.globalAvgPoolFlat())
                .add("classifier", classifier);
    }

    /**
     * torchvision's {@code InvertedResidual}: an optional 1x1 expansion to {@code in x t} channels,
     * a depthwise 3x3 carrying the stride, a linear 1x1 projection; the input is added back when
     * the shape is unchanged.
     */
    private static Block invertedResidual(int in, int out, int stride, int expansion) {
        int hidden = in * expansion;
        SequentialBlock conv = new SequentialBlock();
        if (expansion != 1) {
            conv.add(convBnRelu6(hidden, 1, 1, 1));
        }
        conv.add(convBnRelu6(hidden, 3, stride, hidden))
                .add(Layers.convNoBias(out, 1, 1, 0, TorchInit.KAIMING_NORMAL_FAN_OUT))
                .add(Layers.batchNorm());
        if (stride == 1 && in == out) {
            return new ResidualBlock(UnaryOperator.identity()).addToMainPath("conv", conv);
        }
        return new NamedSequentialBlock().add("conv", conv);
    }

    /** torchvision's {@code Conv2dNormActivation} with ReLU6: conv (no bias, "same" padding), BN, ReLU6. */
    private static SequentialBlock convBnRelu6(int filters, int kernel, int stride, int groups) {
        int pad = (kernel - 1) / 2;
        return new SequentialBlock()
                .add(Layers.conv(filters, kernel, stride, pad, groups, false, TorchInit.KAIMING_NORMAL_FAN_OUT))
                .add(Layers.batchNorm())
                .add(Layers.relu6());
    }
}
