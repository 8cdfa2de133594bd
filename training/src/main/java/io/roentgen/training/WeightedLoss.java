package io.roentgen.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The training loss with optional class weights, and the matching probabilities.
 *
 * <p>Multi-class: softmax cross-entropy, each case weighted by the weight of its true class.
 * Multi-label: binary cross-entropy on logits, the positive term of class c scaled by its
 * positive weight (PyTorch's pos_weight), computed with the stable softplus form.
 *
 * <p>Both are plain means over the cases (not divided by the sum of weights as PyTorch's weighted
 * mean does): a mean over cases splits exactly into shards weighted by shard size, which is what
 * the data-parallel step relies on. {@link ClassWeights} normalises weights to average 1, so the
 * scale matches the unweighted loss.
 */
public final class WeightedLoss {
    private final boolean multiLabel;
    private final int classes;
    private final float[] weights;

    /** @param weights per-class weights, or null for none */
    public WeightedLoss(boolean multiLabel, int classes, double[] weights) {
        this.multiLabel = multiLabel;
        this.classes = classes;
        this.weights = weights == null ? null : toFloats(weights);
    }

    /** The mean loss of a batch: logits (B, C); labels (B) class indices or (B, C) 0/1 targets. */
    public NDArray compute(NDArray logits, NDArray labels) {
        return multiLabel ? binaryCrossEntropy(logits, labels) : crossEntropy(logits, labels);
    }

    /** Softmax or sigmoid of the logits, as float32 (B, C). */
    public NDArray probabilities(NDArray logits) {
        return multiLabel ? logits.getNDArrayInternal().sigmoid() : logits.softmax(1);
    }

    /** Labels as the loss wants them: (B) class indices or (B, C) float targets. */
    public NDArray normaliseLabels(NDArray labels, int batch) {
        if (multiLabel) {
            return labels.reshape(batch, classes).toType(DataType.FLOAT32, false);
        }
        if (labels.size() == (long) batch * classes) {
            return labels.reshape(batch, classes).argMax(1).toType(DataType.INT64, false); // one-hot rows
        }
        return labels.reshape(batch).toType(DataType.INT64, false);
    }

    private NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray oneHot = labels.oneHot(classes, DataType.FLOAT32);
        if (weights != null) {
            oneHot = oneHot.mul(logits.getManager().create(weights, new Shape(1, classes)).toDevice(logits.getDevice(), false));
        }
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
    }

    private NDArray binaryCrossEntropy(NDArray logits, NDArray targets) {
        NDArray positiveTerm = targets.mul(softplus(logits.neg()));
        if (weights != null) {
            positiveTerm = positiveTerm.mul(logits.getManager().create(weights, new Shape(1, classes)).toDevice(logits.getDevice(), false));
        }
        NDArray negativeTerm = targets.neg().add(1).mul(softplus(logits));
        return positiveTerm.add(negativeTerm).mean();
    }

    /** log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|). */
    private static NDArray softplus(NDArray x) {
        return x.maximum(0).add(x.abs().neg().exp().add(1).log());
    }

    private static float[] toFloats(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }
}
