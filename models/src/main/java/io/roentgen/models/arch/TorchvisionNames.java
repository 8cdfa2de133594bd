package io.roentgen.models.arch;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The torchvision {@code state_dict} key of every parameter of a network from
 * {@link Architectures}, e.g. {@code layer2.0.downsample.1.running_var}: the way to load
 * torchvision weights (a PyTorch-trained or ImageNet-pretrained model) and to compare the two
 * implementations tensor by tensor.
 *
 * <p>DJL names a child {@code NN<name>} (its 1-based position, two digits, then the name given);
 * the position prefix is dropped. Children of a plain {@link SequentialBlock} stand for an
 * {@code nn.Sequential} and take their 0-based index, as in PyTorch. BN's {@code gamma},
 * {@code beta}, {@code runningMean}, {@code runningVar} are PyTorch's {@code weight}, {@code bias},
 * {@code running_mean}, {@code running_var}; PyTorch's {@code num_batches_tracked} has no
 * counterpart (it only matters for {@code momentum=None}).
 */
public final class TorchvisionNames {

    private TorchvisionNames() {}

    /** Key to parameter, in the order of the block tree. The block need not be initialised. */
    public static Map<String, Parameter> of(Block network) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        collect(network, "", byName);
        return byName;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> byName) {
        for (Pair<String, Parameter> parameter : block.getDirectParameters()) {
            byName.put(prefix + torchParameterName(parameter.getKey()), parameter.getValue());
        }
        boolean indexed = block.getClass() == SequentialBlock.class;
        int position = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            String segment = indexed ? Integer.toString(position) : withoutPosition(child.getKey(), position);
            collect(child.getValue(), prefix + segment + ".", byName);
            position++;
        }
    }

    private static String withoutPosition(String childName, int position) {
        String ordinal = String.format(Locale.ROOT, "%02d", position + 1);
        return childName.startsWith(ordinal) ? childName.substring(ordinal.length()) : childName;
    }

    private static String torchParameterName(String djlName) {
        switch (djlName) {
            case "gamma":
                return "weight";
            case "beta":
                return "bias";
            case "runningMean":
                return "running_mean";
            case "runningVar":
                return "running_var";
            default:
                return djlName;
        }
    }
}
