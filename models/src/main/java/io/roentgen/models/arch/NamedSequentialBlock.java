package io.roentgen.models.arch;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

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
}
