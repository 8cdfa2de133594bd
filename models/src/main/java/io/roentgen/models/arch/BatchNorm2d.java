package io.roentgen.models.arch;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * PyTorch's {@code nn.BatchNorm2d} over the channels of an N x C x H x W batch, called straight
 * into libtorch's {@code batch_norm}.
 *
 * <p>Why not DJL's {@code BatchNorm}: for the channel axis DJL wraps the call in two transposes,
 * so its output is a view, and an in-place ReLU on a view makes autograd rebuild the whole base
 * tensor in backward (a zero fill, a clone and two copies of each activation: a quarter of a
 * ResNet-18 training step; docs/DECISIONS.md 31). Parameters (gamma, beta, running mean and
 * variance, in that order), encoding version and metadata are DJL's, so saved weights are
 * byte-for-byte those of DJL's block and either loads the other's.
 */
public final class BatchNorm2d extends AbstractBlock {
    private static final byte VERSION = 2; // DJL BatchNorm's
    static final float EPSILON = 1e-5f;
    static final float MOMENTUM = 0.1f; // PyTorch's meaning: weight of the batch statistic

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private long channels;

    BatchNorm2d() {
        super(VERSION);
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
        runningMean = addParameter(Parameter.builder().setName("runningMean").setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("runningVar").setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        PtNDArray out = JniUtils.batchNorm((PtNDArray) x,
                (PtNDArray) store.getValue(runningMean, device, training),
                (PtNDArray) store.getValue(runningVar, device, training),
                (PtNDArray) store.getValue(gamma, device, training),
                (PtNDArray) store.getValue(beta, device, training),
                training, MOMENTUM, EPSILON);
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        channels = inputShapes[0].get(1);
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        for (Parameter p : new Parameter[] {gamma, beta, runningMean, runningVar}) {
            p.setShape(new Shape(channels));
        }
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(channels);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion == VERSION) {
            readInputShapes(is);
        } else if (loadVersion != 1) {
            throw new MalformedModelException("Unsupported encoding version: " + loadVersion);
        }
        channels = is.readLong();
    }
}
