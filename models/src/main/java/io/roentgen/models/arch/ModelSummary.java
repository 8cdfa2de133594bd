package io.roentgen.models.arch;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import io.roentgen.engine.RoentgenException;
import java.util.ArrayList;
import java.util.List;

/**
 * Size and cost of a network: trainable parameters and multiply-accumulates (MACs) for one image,
 * both computed from the initialised block tree (parameter shapes, and each layer's input and
 * output shapes), never tabulated.
 *
 * <p>MACs count the convolutions and linear layers, where nearly all the arithmetic is; batch
 * norm, activations, pooling, additions and concatenations are left out. This is the convention of
 * the "GFLOPS" column in torchvision's model tables and of ptflops/fvcore, which report GMACs
 * under that name (ResNet-50: 4.09). {@link #gmacs()} is that number; {@link #gflops()} counts a
 * multiply-accumulate as two floating-point operations and is twice as large.
 *
 * <p>Trainable parameters are those with gradients: BN's running mean and variance are DJL
 * parameters but not trainable (PyTorch keeps them as buffers), so they are not counted.
 */
public record ModelSummary(String name, int inChannels, int numClasses, int imageSize,
                           long trainableParameters, long multiplyAccumulates) {

    /** Builds the spec's network on the CPU just long enough to measure it. */
    public static ModelSummary of(ArchitectureSpec spec) throws RoentgenException {
        Block network = Architectures.build(spec);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            network.initialize(manager, DataType.FLOAT32, new Shape(1, spec.inChannels(), spec.imageSize(), spec.imageSize()));
            return new ModelSummary(spec.name(), spec.inChannels(), spec.numClasses(), spec.imageSize(),
                    trainableParameters(network), multiplyAccumulates(network));
        }
    }

    /** One summary per known architecture, in {@link Architectures#names()} order. */
    public static List<ModelSummary> all(int inChannels, int numClasses, int imageSize) throws RoentgenException {
        List<ModelSummary> summaries = new ArrayList<>();
        for (String name : Architectures.names()) {
            summaries.add(of(new ArchitectureSpec(name, inChannels, numClasses, imageSize, false)));
        }
        return summaries;
    }

    /** Billions of multiply-accumulates per image (torchvision's and ptflops' "GFLOPs"). */
    public double gmacs() {
        return multiplyAccumulates / 1e9;
    }

    /** Billions of floating-point operations per image, counting a multiply-accumulate as two. */
    public double gflops() {
        return 2 * gmacs();
    }

    /** Parameters that receive gradients, in an initialised block. */
    public static long trainableParameters(Block initialized) {
        long count = 0;
        for (Pair<String, Parameter> parameter : initialized.getParameters()) {
            if (parameter.getValue().requiresGradient()) {
                count += parameter.getValue().getShape().size();
            }
        }
        return count;
    }

    /** MACs of the convolutions and linear layers for one input, in an initialised block. */
    public static long multiplyAccumulates(Block initialized) {
        long macs = 0;
        if (initialized instanceof Convolution || initialized instanceof Linear) {
            macs += layerMacs(initialized);
        }
        for (Pair<String, Block> child : initialized.getChildren()) {
            macs += multiplyAccumulates(child.getValue());
        }
        return macs;
    }

    /**
     * Each output element of a convolution or linear layer costs one MAC per weight feeding it:
     * the weight's size divided by its output channels/units (which handles grouped convolutions).
     */
    private static long layerMacs(Block layer) {
        Shape weight = layer.getParameters().get("weight").getShape();
        long macsPerOutput = weight.size() / weight.get(0);
        Shape output = layer.getOutputShapes(layer.getInputShapes())[0];
        long outputsPerInput = output.size() / output.get(0);
        return outputsPerInput * macsPerOutput;
    }
}
