package io.roentgen.models.explain;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import io.roentgen.engine.RoentgenException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A network cut in two at a named layer: {@code features} (input to the layer's output, the map
 * that is explained) and {@code head} (the rest, to the logits). DJL has no forward or backward
 * hooks, so this is how the explainer reaches the layer: it runs the features, makes their output
 * a leaf that requires gradients and runs the head on it.
 *
 * <p>Layer names are torchvision's module paths ({@code layer4}, {@code features.denseblock4},
 * {@code features.17}), as {@link io.roentgen.models.arch.TorchvisionNames} spells them. A cut
 * can be made inside any sequential container: running a sequential block is running its
 * children in order, so flattening the containers on the path computes the same function.
 */
public record SplitNetwork(String layer, List<Block> features, List<Block> head) {

    /**
     * The last convolutional stage of each architecture we train: the layer pytorch-grad-cam's
     * documentation targets ({@code layer4[-1]}, {@code features[-1]}); for DenseNet that is
     * {@code norm5}'s output, before the ReLU torchvision applies in {@code forward}.
     */
    private static final Map<String, String> DEFAULT_LAYERS = Map.of(
            "small", "relu3",
            "resnet18", "layer4",
            "resnet34", "layer4",
            "resnet50", "layer4",
            "densenet121", "features",
            "mobilenet_v2", "features");

    public SplitNetwork {
        features = List.copyOf(features);
        head = List.copyOf(head);
    }

    /** The default target layer of an architecture. */
    public static String defaultLayer(String architecture) throws RoentgenException {
        String layer = DEFAULT_LAYERS.get(architecture);
        if (layer == null) {
            throw new RoentgenException("no default explanation layer for architecture '" + architecture
                    + "'; name one with --layer");
        }
        return layer;
    }

    /** Cuts {@code network} after {@code layer} (a dotted path), or after its architecture's default when null. */
    public static SplitNetwork of(Block network, String architecture, String layer) throws RoentgenException {
        String wanted = layer == null || layer.isBlank() ? defaultLayer(architecture) : layer;
        List<Block> before = new ArrayList<>();
        List<Block> after = new ArrayList<>();
        Block container = network;
        String[] path = wanted.split("\\.");
        for (int depth = 0; depth < path.length; depth++) {
            if (!(container instanceof SequentialBlock)) {
                throw unknown(wanted, network, "'" + String.join(".", List.of(path).subList(0, depth))
                        + "' is not a sequence of layers");
            }
            List<Pair<String, Block>> children = named(container);
            int index = indexOf(children, path[depth]);
            if (index < 0) {
                throw unknown(wanted, network, "no layer '" + path[depth] + "' there");
            }
            for (int i = 0; i < index; i++) {
                before.add(children.get(i).getValue());
            }
            List<Block> rest = new ArrayList<>();
            for (int i = index + 1; i < children.size(); i++) {
                rest.add(children.get(i).getValue());
            }
            after.addAll(0, rest);
            container = children.get(index).getValue();
        }
        before.add(container);
        if (after.isEmpty()) {
            throw RoentgenException.usage("layer '" + wanted + "' is the network's output; choose a layer before the logits");
        }
        return new SplitNetwork(wanted, before, after);
    }

    /** The names one level down, for messages: {@code conv1, bn1, ..., layer4, avgpool, fc}. */
    public static List<String> topLevelNames(Block network) {
        List<String> names = new ArrayList<>();
        for (Pair<String, Block> child : named(network)) {
            names.add(child.getKey());
        }
        return names;
    }

    private static RoentgenException unknown(String layer, Block network, String why) {
        return RoentgenException.usage("unknown layer '" + layer + "': " + why + "; top-level layers: "
                + String.join(", ", topLevelNames(network)) + " (dotted paths reach inside, e.g. features.denseblock4)");
    }

    private static int indexOf(List<Pair<String, Block>> children, String name) {
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).getKey().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Children under their torchvision names: the index in a plain sequential, else the name without DJL's position prefix. */
    private static List<Pair<String, Block>> named(Block block) {
        boolean indexed = block.getClass() == SequentialBlock.class;
        List<Pair<String, Block>> out = new ArrayList<>();
        int position = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            String ordinal = String.format(Locale.ROOT, "%02d", position + 1);
            String key = child.getKey();
            String name = indexed ? Integer.toString(position)
                    : key.startsWith(ordinal) ? key.substring(ordinal.length()) : key;
            out.add(new Pair<>(name, child.getValue()));
            position++;
        }
        return out;
    }
}
