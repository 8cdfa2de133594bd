package io.roentgen.models.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The gradient step of Grad-CAM without hooks: features forward with gradients off, their output
 * made a leaf that requires gradients, the head forward with gradients on, and one backward pass
 * of the chosen logits. Always in inference mode ({@code training = false}: batch norm uses its
 * running statistics; a map made in train mode depends on the rest of the batch).
 *
 * <p>Gradients are never collected with DJL's {@code GradientCollector}: the PyTorch engine allows
 * only one per process and zeroes every gradient when it closes. Instead each call makes a new
 * leaf, reads its gradient and drops it with its scope, so nothing accumulates between calls, and
 * grad mode (per thread in libtorch) is restored on the way out.
 */
final class CamComputer {

    private CamComputer() {}

    /**
     * Explains a batch.
     *
     * @param images  N x C x H x W, row-major
     * @param classes one per image: the class to explain, or -1 for the arg-max logit
     * @param layout  how the network takes its input (channels-last on CPU, as the classifier)
     */
    static List<RawCam> explain(SplitNetwork split, NDManager manager, UnaryOperator<NDArray> layout, float[] images,
            Shape shape, int[] classes, CamMethod method) {
        boolean gradMode = JniUtils.isGradMode();
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            JniUtils.setGradMode(false);
            NDArray activations = run(split.features(), store, layout.apply(scope.create(images, shape)));
            // A fresh copy in plain NCHW order (the features may come out channels-last or as a view): a
            // leaf of its own, read back in the order the maps are computed in.
            Shape featureShape = activations.getShape();
            NDArray leaf = activations.toType(DataType.FLOAT32, false).reshape(-1).reshape(featureShape).duplicate();
            leaf.setRequiresGradient(true);
            JniUtils.setGradMode(true);
            // The head starts on a copy: its first layer may be an in-place ReLU (DenseNet's), which
            // libtorch refuses on a leaf that requires gradients.
            NDArray logits = run(split.head(), store, leaf.mul(1f));
            int n = (int) shape.get(0);
            int numClasses = (int) logits.getShape().get(1);
            float[] logitValues = logits.toFloatArray();
            int[] targets = targets(classes, logitValues, n, numClasses);
            NDArray oneHot = scope.create(oneHot(targets, numClasses), new Shape(n, numClasses));
            JniUtils.backward((PtNDArray) logits, (PtNDArray) oneHot, false, false);
            JniUtils.setGradMode(false);
            float[] a = leaf.toFloatArray();
            float[] g = leaf.getGradient().toFloatArray();
            return maps(leaf.getShape(), a, g, targets, logitValues, numClasses, method);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private static NDArray run(List<Block> blocks, ParameterStore store, NDArray input) {
        NDList x = new NDList(input);
        for (Block block : blocks) {
            x = block.forward(store, x, false, null);
        }
        return x.singletonOrThrow();
    }

    private static int[] targets(int[] classes, float[] logits, int n, int numClasses) {
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            int c = classes[i];
            if (c < 0) {
                c = 0;
                for (int j = 1; j < numClasses; j++) {
                    if (logits[i * numClasses + j] > logits[i * numClasses + c]) {
                        c = j;
                    }
                }
            } else if (c >= numClasses) {
                throw new IllegalArgumentException("class index " + c + " but the network has " + numClasses + " outputs");
            }
            targets[i] = c;
        }
        return targets;
    }

    /** The gradient fed to backward: one-hot rows, so image i gets d logit[i, target_i] (images are independent in eval mode). */
    private static float[] oneHot(int[] targets, int numClasses) {
        float[] v = new float[targets.length * numClasses];
        for (int i = 0; i < targets.length; i++) {
            v[i * numClasses + targets[i]] = 1f;
        }
        return v;
    }

    private static List<RawCam> maps(Shape featureShape, float[] a, float[] g, int[] targets, float[] logits,
            int numClasses, CamMethod method) {
        int channels = (int) featureShape.get(1);
        int height = (int) featureShape.get(2);
        int width = (int) featureShape.get(3);
        int perImage = channels * height * width;
        List<RawCam> out = new ArrayList<>(targets.length);
        for (int i = 0; i < targets.length; i++) {
            float[] ai = java.util.Arrays.copyOfRange(a, i * perImage, (i + 1) * perImage);
            float[] gi = java.util.Arrays.copyOfRange(g, i * perImage, (i + 1) * perImage);
            float[] li = java.util.Arrays.copyOfRange(logits, i * numClasses, (i + 1) * numClasses);
            out.add(new RawCam(targets[i], li, method.map(ai, gi, channels, height * width), height, width));
        }
        return out;
    }
}
