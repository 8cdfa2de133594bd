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

/**
 * DenseNet's dense block: each layer sees the concatenation of the block input and every earlier
 * layer's output and adds {@code growthRate} channels, i.e. {@code x = cat(x, layer(x))} per layer
 * (torchvision's {@code _DenseBlock}, with its layers named {@code denselayer1..n}).
 */
final class DenseBlock extends AbstractBlock {

    private final List<Block> layers = new ArrayList<>();

    DenseBlock addLayer(String name, Block layer) {
        layers.add(addChildBlock(name, layer));
        return this;
    }

    List<Block> layers() {
        return List.copyOf(layers);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray features = inputs.singletonOrThrow();
        for (Block layer : layers) {
            NDArray grown = layer.forward(store, new NDList(features), training, params).singletonOrThrow();
            NDArray grownFeatures = features.concat(grown, 1);
            Intermediates.release(new NDList(features, grown), new NDList(grownFeatures), inputs);
            features = grownFeatures;
        }
        return new NDList(features);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape shape = inputShapes[0];
        for (Block layer : layers) {
            shape = grow(shape, layer.getOutputShapes(new Shape[] {shape})[0]);
        }
        return new Shape[] {shape};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (Block layer : layers) {
            layer.initialize(manager, dataType, shape);
            shape = grow(shape, layer.getOutputShapes(new Shape[] {shape})[0]);
        }
    }

    private static Shape grow(Shape features, Shape grown) {
        return new Shape(features.get(0), features.get(1) + grown.get(1), features.get(2), features.get(3));
    }
}
