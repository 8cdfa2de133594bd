package io.roentgen.models.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/**
 * A parameter-free layer (activation, global pooling) that states its output shape. DJL's
 * {@code LambdaBlock} instead finds the shape by running the function on zeros at every shape query;
 * with the nested shape queries of a DenseNet at 224x224 that made initialisation take seconds.
 */
final class ShapedLambdaBlock extends AbstractBlock {

    private final UnaryOperator<NDArray> function;
    private final UnaryOperator<Shape> outputShape;

    ShapedLambdaBlock(UnaryOperator<NDArray> function, UnaryOperator<Shape> outputShape) {
        this.function = function;
        this.outputShape = outputShape;
    }

    /** An element-wise function: the shape is unchanged. */
    static ShapedLambdaBlock elementwise(UnaryOperator<NDArray> function) {
        return new ShapedLambdaBlock(function, UnaryOperator.identity());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(function.apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape.apply(inputShapes[0])};
    }
}
