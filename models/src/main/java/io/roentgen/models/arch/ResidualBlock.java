package io.roentgen.models.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code activation(main(x) + shortcut(x))}: the residual connection of ResNet's BasicBlock and
 * Bottleneck (shortcut = identity or the 1x1 conv + BN {@code downsample}, activation = ReLU) and
 * of MobileNetV2's inverted residual (identity shortcut, no activation after the sum).
 *
 * <p>The main-path layers and the shortcut are children of this one block, in torchvision's order
 * and under torchvision's names, so the parameters keep their torchvision keys.
 */
final class ResidualBlock extends AbstractBlock {

    private final List<Block> mainPath = new ArrayList<>();
    private Block shortcut;
    private final UnaryOperator<NDList> afterSum;
    private final boolean sumInPlace;

    /** @param afterSum applied to the sum, e.g. ReLU; {@link UnaryOperator#identity()} for none */
    ResidualBlock(UnaryOperator<NDList> afterSum) {
        this(afterSum, false);
    }

    /**
     * @param sumInPlace add the shortcut into the main path's output instead of into a new array;
     *                   for inference only (autograd may need that output unchanged)
     */
    ResidualBlock(UnaryOperator<NDList> afterSum, boolean sumInPlace) {
        this.afterSum = afterSum;
        this.sumInPlace = sumInPlace;
    }

    List<Block> mainPath() {
        return List.copyOf(mainPath);
    }

    /** The projection shortcut, or null for the identity. */
    Block shortcut() {
        return shortcut;
    }

    UnaryOperator<NDList> afterSum() {
        return afterSum;
    }

    ResidualBlock addToMainPath(String name, Block layer) {
        mainPath.add(addChildBlock(name, layer));
        return this;
    }

    /** Replaces the identity shortcut; add it after the main path, as torchvision declares it. */
    ResidualBlock setShortcut(String name, Block projection) {
        shortcut = addChildBlock(name, projection);
        return this;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (Block layer : mainPath) {
            x = layer.forward(store, x, training, params);
        }
        NDList identity = shortcut == null ? inputs : shortcut.forward(store, inputs, training, params);
        NDArray main = x.singletonOrThrow();
        // The main path's output is a fresh array unless the path is empty (then it is the input).
        boolean inPlace = sumInPlace && x != inputs;
        NDArray sum = inPlace ? main.addi(identity.singletonOrThrow()) : main.add(identity.singletonOrThrow());
        return afterSum.apply(new NDList(sum));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block layer : mainPath) {
            shapes = layer.getOutputShapes(shapes);
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block layer : mainPath) {
            layer.initialize(manager, dataType, shapes);
            shapes = layer.getOutputShapes(shapes);
        }
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
    }
}
