package io.roentgen.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.roentgen.engine.torch.Autocast;
import io.roentgen.engine.torch.ChannelsLast;
import io.roentgen.engine.torch.Precision;
import io.roentgen.training.precision.LossScaler;
import io.roentgen.training.optim.ParameterOptimizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One synchronous data-parallel optimizer step, written out instead of DJL's EasyTrain
 * multi-device path (DJL issue 2459: zero gradients there).
 *
 * <ol>
 *   <li>The batch is cut into one contiguous shard per device entry (sizes differ by at most 1).
 *   <li>Shard 0 runs on the parameters themselves (their gradients are zeroed first: DJL's PyTorch
 *       collector no longer zeroes them, PyTorch accumulates). Every other shard runs on a fresh
 *       detached copy of all parameters on its device, so its gradients start empty.
 *   <li>Per shard: forward and backward under its own {@link GradientCollector} (DJL allows one
 *       collector at a time, so shards run one after the other); the shard loss is a mean over
 *       its cases.
 *   <li>The gradient of the batch mean is the sum of shard gradients times shard size / batch
 *       size; they are summed on the first device, and the optimizer steps once. A single shard's
 *       gradients go to the optimizer as they are, without a scaled copy.
 *   <li>Nothing needs copying back: replicas are re-made from the updated parameters next step.
 * </ol>
 * With a gradient norm bound, the summed gradients are clipped ({@link GradientClipping}) before
 * the update. With one device this is a plain step. BatchNorm: batch statistics are per shard (no sync BN)
 * and running statistics are kept from shard 0 only (what PyTorch's DataParallel does too).
 *
 * <p>Mixed precision ({@link Precision#BF16}, {@link Precision#FP16}): the forward pass and the loss
 * run under libtorch's autocast on the fp32 master weights, the network's output is cast to fp32
 * before the loss, and backward runs after the scope closes, as PyTorch recommends (autograd
 * replays each operator in the type its forward chose). With a {@link LossScaler} (fp16) the loss
 * is scaled before backward and the summed gradients unscaled before clipping; a step whose
 * gradients hold an inf or NaN is skipped (no update) and the scale halved.
 */
public final class DataParallelStep {
    private final Block block;
    private final List<Device> devices;
    private final WeightedLoss loss;
    private final List<Parameter> trainable;
    private final List<Parameter> all;
    private final double maxGradientNorm;
    private final Precision precision;
    private final LossScaler scaler;

    public DataParallelStep(Block block, List<Device> devices, WeightedLoss loss) {
        this(block, devices, loss, 0);
    }

    /** @param maxGradientNorm the bound on the global gradient 2-norm; 0 = no clipping */
    public DataParallelStep(Block block, List<Device> devices, WeightedLoss loss, double maxGradientNorm) {
        this(block, devices, loss, maxGradientNorm, Precision.FP32, null);
    }

    /**
     * @param precision the precision of forward and backward (autocast); weights stay fp32
     * @param scaler dynamic loss scaling, or null for none (fp32 and bf16 need none)
     */
    public DataParallelStep(Block block, List<Device> devices, WeightedLoss loss, double maxGradientNorm,
                            Precision precision, LossScaler scaler) {
        this.block = block;
        this.precision = precision;
        this.scaler = scaler;
        this.devices = List.copyOf(devices);
        this.loss = loss;
        this.maxGradientNorm = maxGradientNorm;
        this.all = new ArrayList<>(block.getParameters().values());
        this.trainable = all.stream().filter(Parameter::requiresGradient).toList();
    }

    /** The parameters the optimizer updates, in the order of {@link #gradients}. */
    public List<Parameter> trainableParameters() {
        return trainable;
    }

    /**
     * Trains on one batch: sharded gradients, then one optimizer update.
     *
     * @return the batch mean loss
     */
    public float step(NDArray images, NDArray labels, ParameterOptimizer optimizer, float learningRate) {
        try (NDScope scope = new NDScope()) {
            Gradients gradients = gradients(images, labels);
            scope.suppressNotUsedWarning();
            if (scaler != null && !unscale(gradients.sums())) {
                return gradients.meanLoss(); // skipped: inf/NaN gradients, the scale halved
            }
            if (maxGradientNorm > 0) {
                GradientClipping.clip(gradients.sums(), maxGradientNorm);
            }
            optimizer.step(trainable, gradients.sums(), learningRate);
            return gradients.meanLoss();
        }
    }

    /** Divides the gradients by the loss scale; whether the step may go on (GradScaler's rule). */
    private boolean unscale(List<NDArray> sums) {
        float inverse = 1f / scaler.scale();
        for (NDArray g : sums) {
            g.muli(inverse);
        }
        return scaler.update(LossScaler.overflowed(sums));
    }

    /** Loss and summed gradients of one batch, without updating; arrays live in the caller's scope. */
    Gradients gradients(NDArray images, NDArray labels) {
        int batch = Math.toIntExact(images.getShape().get(0));
        int shards = Math.min(devices.size(), batch);
        Device first = devices.get(0);
        List<NDArray> sums = new ArrayList<>();
        double lossSum = 0;
        int start = 0;
        for (int k = 0; k < shards; k++) {
            int size = batch / shards + (k < batch % shards ? 1 : 0);
            Device device = devices.get(k);
            NDArray x = ChannelsLast.forDevice(device).apply(images.get(new NDIndex("{}:{}", start, start + size)).toDevice(device, false));
            NDArray y = labels.get(new NDIndex("{}:{}", start, start + size)).toDevice(device, false);
            Map<String, NDArray> replicas = k == 0 ? Map.of() : replicas(device);
            if (k == 0) {
                zeroGradients();
            }
            lossSum += size * backward(new ReplicaParameterStore(replicas), x, y);
            addScaled(sums, k == 0 ? masterArrays() : replicaArrays(replicas), first, (float) size / batch);
            start += size;
        }
        return new Gradients(sums, (float) (lossSum / batch));
    }

    private double backward(ParameterStore store, NDArray x, NDArray y) {
        try (GradientCollector collector = x.getManager().getEngine().newGradientCollector()) {
            NDArray batchLoss;
            try (Autocast.Scope amp = Autocast.on(x.getDevice(), precision)) {
                NDArray logits = Autocast.toFullPrecision(block.forward(store, new NDList(x), true).singletonOrThrow());
                batchLoss = loss.compute(logits, y);
            }
            collector.backward(scaler == null ? batchLoss : batchLoss.mul(scaler.scale()));
            // as float32 whatever the network's type (the parity test also runs float64 networks)
            return batchLoss.toType(DataType.FLOAT32, false).getFloat();
        }
    }

    private Map<String, NDArray> replicas(Device device) {
        Map<String, NDArray> replicas = new HashMap<>();
        for (Parameter p : all) {
            NDArray copy = p.getArray().stopGradient().toDevice(device, true);
            if (p.requiresGradient()) {
                copy.setRequiresGradient(true);
            }
            replicas.put(p.getId(), copy);
        }
        return replicas;
    }

    private List<NDArray> masterArrays() {
        return trainable.stream().map(Parameter::getArray).toList();
    }

    private List<NDArray> replicaArrays(Map<String, NDArray> replicas) {
        return trainable.stream().map(p -> replicas.get(p.getId())).toList();
    }

    private void addScaled(List<NDArray> sums, List<NDArray> arrays, Device first, float scale) {
        for (int i = 0; i < arrays.size(); i++) {
            NDArray gradient = gradientOrZeros(arrays.get(i)).toDevice(first, false);
            if (scale != 1f) {
                gradient = gradient.mul(scale);
            }
            if (sums.size() <= i) {
                sums.add(gradient);
            } else {
                sums.get(i).addi(gradient);
            }
        }
    }

    /** Fills the gradients with zeros (not g - g: that would keep an infinite gradient as NaN). */
    private void zeroGradients() {
        for (Parameter p : trainable) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    /** A parameter the forward pass did not use has no gradient yet: treat it as zero. */
    private static NDArray gradientOrZeros(NDArray array) {
        NDArray gradient = gradientOrNull(array);
        return gradient != null ? gradient : array.getManager().zeros(array.getShape(), array.getDataType(), array.getDevice());
    }

    private static NDArray gradientOrNull(NDArray array) {
        try {
            return array.getGradient();
        } catch (IllegalStateException noGradientYet) {
            return null;
        }
    }

    /** The batch-mean gradients (one per trainable parameter, on the first device) and loss. */
    record Gradients(List<NDArray> sums, float meanLoss) {
    }
}
