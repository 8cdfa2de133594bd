package io.roentgen.models.arch;

import ai.djl.nn.Block;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.NativeLibrary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The architecture zoo: name to DJL {@link Block}. Every network takes (N, inChannels, H, W) and
 * returns (N, numClasses) logits. The convolutional networks are torchvision's definitions, layer
 * for layer, with torchvision's parameter names (see {@link TorchvisionNames}) and initialisation;
 * an untrained block comes back (call {@code initialize} or let a trainer do it).
 */
public final class Architectures {

    /** The smallest square input every architecture accepts (five stride-2 stages leave 1x1). */
    public static final int MIN_IMAGE_SIZE = 32;

    private record Entry(String description, Function<ArchitectureSpec, Block> factory) {}

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        register("small", "3 conv layers (32/64/64) + 64-unit dense layer, for quick runs", SmallCnn::small);
        register("resnet18", "ResNet-18, torchvision BasicBlock", ResNets::resnet18);
        register("resnet34", "ResNet-34, torchvision BasicBlock", ResNets::resnet34);
        register("resnet50", "ResNet-50, torchvision Bottleneck (v1.5)", ResNets::resnet50);
        register("densenet121", "DenseNet-121 (CheXNet backbone), growth 32", DenseNets::densenet121);
        register("mobilenet_v2", "MobileNetV2 width 1.0, fast", MobileNetV2::mobilenetV2);
    }

    private Architectures() {}

    private static void register(String name, String description, Function<ArchitectureSpec, Block> factory) {
        REGISTRY.put(name, new Entry(description, factory));
    }

    /** Known names, smallest network first. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** A one-line description for listings. */
    public static String description(String name) throws RoentgenException {
        return entry(name).description();
    }

    /** A fresh, uninitialised network for the spec. */
    public static Block build(ArchitectureSpec spec) throws RoentgenException {
        Entry entry = entry(spec.name());
        requireAtLeast("input channels", spec.inChannels(), 1);
        requireAtLeast("number of classes", spec.numClasses(), 1);
        requireAtLeast("image size", spec.imageSize(), MIN_IMAGE_SIZE);
        NativeLibrary.load(); // before the first matrix product: it settles MKL's kernels
        return entry.factory().apply(spec);
    }

    private static Entry entry(String name) throws RoentgenException {
        Entry entry = name == null ? null : REGISTRY.get(name);
        if (entry == null) {
            throw new RoentgenException("unknown architecture '" + name + "'; known: " + String.join(", ", names()));
        }
        return entry;
    }

    private static void requireAtLeast(String what, int value, int minimum) throws RoentgenException {
        if (value < minimum) {
            throw new RoentgenException(what + " must be at least " + minimum + ", got " + value);
        }
    }
}
