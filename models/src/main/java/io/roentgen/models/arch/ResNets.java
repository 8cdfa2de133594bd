package io.roentgen.models.arch;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

/**
 * ResNet-18/34/50 exactly as torchvision defines them (He et al. 2016, torchvision's v1.5):
 * a 7x7/2 stem conv + BN + ReLU + 3x3/2 max pool, four stages of 64/128/256/512 planes, global
 * average pooling and a linear classifier. ResNet-18/34 use the two-3x3 {@code BasicBlock}, ResNet-50
 * the 1x1-3x3-1x1 {@code Bottleneck} (expansion 4) with the stride on the 3x3 conv. A block whose
 * stride or width changes gets a 1x1 conv + BN {@code downsample} shortcut. Convs have no bias.
 *
 * <p>Initialisation as torchvision: Kaiming normal (fan_out, ReLU) for convs, BN weight 1 and bias
 * 0, PyTorch's default for the final linear layer; {@code zero_init_residual} is off, as there.
 */
final class ResNets {

    private static final int[] PLANES = {64, 128, 256, 512};

    private ResNets() {}

    static Block resnet18(ArchitectureSpec spec) {
        return build(spec, new int[] {2, 2, 2, 2}, false);
    }

    static Block resnet34(ArchitectureSpec spec) {
        return build(spec, new int[] {3, 4, 6, 3}, false);
    }

    static Block resnet50(ArchitectureSpec spec) {
        return build(spec, new int[] {3, 4, 6, 3}, true);
    }

    private static Block build(ArchitectureSpec spec, int[] blocksPerStage, boolean bottleneck) {
        int expansion = bottleneck ? 4 : 1;
        NamedSequentialBlock net = new NamedSequentialBlock()
                .add("conv1", Layers.convNoBias(64, 7, 2, 3, TorchInit.KAIMING_NORMAL_FAN_OUT))
                .add("bn1", Layers.batchNorm())
                .add("relu", Layers.relu())
                .add("maxpool", Layers.maxPool(3, 2, 1));
        int inPlanes = 64;
        for (int stage = 0; stage < PLANES.length; stage++) {
            int stride = stage == 0 ? 1 : 2;
            net.add("layer" + (stage + 1), stage(inPlanes, PLANES[stage], blocksPerStage[stage], stride, bottleneck));
            inPlanes = PLANES[stage] * expansion;
        }
        return net.add("avgpool", Layers.globalAvgPoolFlat())
                .add("fc", Layers.torchDefaultLinear(inPlanes, spec.numClasses()));
    }

    private static SequentialBlock stage(int inPlanes, int planes, int blocks, int stride, boolean bottleneck) {
        int expansion = bottleneck ? 4 : 1;
        SequentialBlock stage = new SequentialBlock();
        for (int i = 0; i < blocks; i++) {
            int blockStride = i == 0 ? stride : 1;
            boolean project = blockStride != 1 || inPlanes != planes * expansion;
            ResidualBlock block = bottleneck
                    ? bottleneckBlock(planes, blockStride)
                    : basicBlock(planes, blockStride);
            if (project) {
                block.setShortcut("downsample", downsample(planes * expansion, blockStride));
            }
            stage.add(block);
            inPlanes = planes * expansion;
        }
        return stage;
    }

    private static ResidualBlock basicBlock(int planes, int stride) {
        return new ResidualBlock(ResidualBlock::reluInPlace)
                .addToMainPath("conv1", conv3x3(planes, stride))
                .addToMainPath("bn1", Layers.batchNorm())
                .addToMainPath("relu", Layers.relu())
                .addToMainPath("conv2", conv3x3(planes, 1))
                .addToMainPath("bn2", Layers.batchNorm());
    }

    private static ResidualBlock bottleneckBlock(int planes, int stride) {
        return new ResidualBlock(ResidualBlock::reluInPlace)
                .addToMainPath("conv1", conv1x1(planes, 1))
                .addToMainPath("bn1", Layers.batchNorm())
                .addToMainPath("relu1", Layers.relu())
                .addToMainPath("conv2", conv3x3(planes, stride))
                .addToMainPath("bn2", Layers.batchNorm())
                .addToMainPath("relu2", Layers.relu())
                .addToMainPath("conv3", conv1x1(planes * 4, 1))
                .addToMainPath("bn3", Layers.batchNorm());
    }

    /** torchvision's {@code downsample}: {@code nn.Sequential(conv1x1(stride), BatchNorm2d)}. */
    private static SequentialBlock downsample(int outPlanes, int stride) {
        return new SequentialBlock().add(conv1x1(outPlanes, stride)).add(Layers.batchNorm());
    }

    private static Block conv3x3(int planes, int stride) {
        return Layers.convNoBias(planes, 3, stride, 1, TorchInit.KAIMING_NORMAL_FAN_OUT);
    }

    private static Block conv1x1(int planes, int stride) {
        return Layers.convNoBias(planes, 1, stride, 0, TorchInit.KAIMING_NORMAL_FAN_OUT);
    }
}
