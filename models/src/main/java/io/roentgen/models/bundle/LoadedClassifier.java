package io.roentgen.models.bundle;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.ChannelsLast;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A bundle's network on one device, of either format: a Roentgen block with loaded parameters or
 * a TorchScript module. Every call runs with gradients off on the calling thread (PyTorch's grad
 * mode is per thread) and puts every tensor it makes into one sub-manager that is closed before
 * it returns, so native memory stays flat however many calls are made.
 */
final class LoadedClassifier implements Classifier {
    private final BundleManifest manifest;
    private final ModelCard card;
    private final Block block;
    private final NDManager manager;
    private final AutoCloseable owner;
    private final UnaryOperator<NDArray> inputLayout;
    private Block trained;

    /**
     * @param owner        what holds the native memory of the block (its manager or its DJL model);
     *                     closed by {@link #close()}
     * @param inputLayout  how the block takes its batch: {@link ChannelsLast#forDevice} for
     *                     Roentgen's networks; unchanged for TorchScript, which may {@code view}
     *                     its input as contiguous
     */
    LoadedClassifier(BundleManifest manifest, Block block, NDManager manager, AutoCloseable owner,
            UnaryOperator<NDArray> inputLayout) {
        this.manifest = manifest;
        this.card = manifest.card();
        this.block = block;
        this.manager = manager;
        this.owner = owner;
        this.inputLayout = inputLayout;
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public PreprocessingSpec preprocessing() {
        return manifest.preprocessing();
    }

    /** Remembers the network as trained (before the inference rewrites), for explanations. */
    LoadedClassifier withTrained(Block network) {
        this.trained = network;
        return this;
    }

    /** The network as trained, or null for TorchScript. */
    Block trained() {
        return trained;
    }

    /** Everything {@code model.json} says, metrics and provenance included. */
    BundleManifest manifest() {
        return manifest;
    }

    /** The manager holding the model's parameters; its live arrays are what a call must not grow. */
    NDManager manager() {
        return manager;
    }

    @Override
    public List<Scores> predict(List<FloatImage> batch) throws RoentgenException {
        if (batch.isEmpty()) {
            return List.of();
        }
        float[] input = stack(batch);
        float[][] probabilities = probabilities(input, batch.size());
        List<Scores> scores = new ArrayList<>(batch.size());
        for (float[] row : probabilities) {
            scores.add(Decisions.scores(card.labels(), row, card.thresholds(), card.multiLabel()));
        }
        return scores;
    }

    private float[][] probabilities(float[] input, int n) throws RoentgenException {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(input, new Shape(n, card.channels(), card.height(), card.width()));
            NDArray logits = forward(scope, x);
            if (logits.getDataType() != DataType.FLOAT32) {
                // bf16/fp16 logits under autocast: softmax and the probabilities stay fp32
                logits = logits.toType(DataType.FLOAT32, false);
            }
            checkOutput(logits.getShape(), n);
            NDArray p = card.multiLabel() ? Activation.sigmoid(logits) : logits.softmax(1);
            float[] flat = p.toFloatArray();
            int labels = card.labels().size();
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = java.util.Arrays.copyOfRange(flat, i * labels, (i + 1) * labels);
            }
            return rows;
        } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
            throw new RoentgenException("model '" + card.name() + "': forward pass failed: " + e.getMessage(), false, e);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** Logits (N x labels); a TorchScript module may return a tuple, whose first element is used. */
    NDArray forward(NDManager scope, NDArray x) {
        NDList out = block.forward(new ParameterStore(scope, false), new NDList(inputLayout.apply(x)), false);
        return out.get(0);
    }

    private void checkOutput(Shape shape, int n) throws RoentgenException {
        int labels = card.labels().size();
        if (shape.dimension() != 2 || shape.get(0) != n || shape.get(1) != labels) {
            throw new RoentgenException("model '" + card.name() + "' returned logits of shape " + shape + " for "
                    + n + " images; model.json has " + labels + " labels, so (" + n + ", " + labels + ") was expected");
        }
    }

    /** The batch as one N x C x H x W float array; every image must have the card's shape. */
    private float[] stack(List<FloatImage> batch) throws RoentgenException {
        int size = card.channels() * card.height() * card.width();
        float[] input = new float[Math.multiplyExact(size, batch.size())];
        for (int i = 0; i < batch.size(); i++) {
            FloatImage image = batch.get(i);
            if (image.channels() != card.channels() || image.height() != card.height() || image.width() != card.width()) {
                throw new RoentgenException("image " + i + " of the batch is " + image.channels() + "x" + image.height()
                        + "x" + image.width() + " but model '" + card.name() + "' takes " + card.channels() + "x"
                        + card.height() + "x" + card.width() + " (use the bundle's preprocessing)");
            }
            System.arraycopy(image.data(), 0, input, i * size, size);
        }
        return input;
    }

    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot release model '" + card.name() + "'", e);
        }
    }
}
