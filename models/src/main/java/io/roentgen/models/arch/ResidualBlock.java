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
import io.roentgen.engine.torch.InPlaceOps;
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

    /**
     * @param afterSum applied to the sum, which it may overwrite, e.g. {@link #reluInPlace};
     *                 {@link UnaryOperator#identity()} for none
     */
    ResidualBlock(UnaryOperator<NDList> afterSum) {
        this.afterSum = afterSum;
    }

    /** ReLU written into the sum (torchvision's {@code relu(inplace=True)} after {@code out += identity}). */
    static NDList reluInPlace(NDList sum) {
        return new NDList(InPlaceOps.relu(sum.singletonOrThrow()));
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
        NDList x = Intermediates.chain(mainPath, store, inputs, training, params);
        NDList identity = shortcut == null ? inputs : shortcut.forward(store, inputs, training, params);
        NDArray main = x.singletonOrThrow();
        // Like torchvision's `out += identity`, the shortcut is added into the main path's fresh
        // output: every main path here ends in a batch norm (or, in the inference form, a conv),
        // whose backward does not read its output. With an empty path x is the input: new array.
        NDArray shortcutOut = identity.singletonOrThrow();
        NDArray sum = x != inputs ? main.addi(shortcutOut) : main.add(shortcutOut);
        Intermediates.release(identity, new NDList(sum), inputs); // the projection's output
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
