package io.roentgen.models.arch;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link SequentialBlock} whose children carry the names of torchvision's submodules
 * ({@code conv1}, {@code layer1}, {@code features}, ...) instead of their class names, so that
 * every parameter can be matched to its torchvision {@code state_dict} key (see
 * {@link TorchvisionNames}). A plain {@code SequentialBlock} stands for an {@code nn.Sequential},
 * whose children torchvision names by index.
 */
final class NamedSequentialBlock extends SequentialBlock {

    NamedSequentialBlock add(String name, Block block) {
        addChildBlock(name, block);
        return this;
    }

    /** The children in order, each output freed once the next child has consumed it. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return Intermediates.chain(getChildren().values(), store, inputs, training, params);
    }
}
