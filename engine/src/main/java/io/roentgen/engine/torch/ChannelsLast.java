package io.roentgen.engine.torch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Lays an image batch out channels-last (NHWC in memory, still N x C x H x W to every operator),
 * the layout libtorch's CPU convolutions run fastest and, for most networks, correctly in.
 * libtorch carries the layout from the first convolution through batch norm, activations,
 * pooling and the next convolutions, so converting a network's input is enough.
 *
 * <p>Why (docs/DECISIONS.md 30): in NCHW, oneDNN computes in channel blocks of 8 (AVX2) or 16
 * (AVX-512) and pads a channel count that is not a multiple of the block; the oneDNN in DJL's
 * libtorch 2.7.1 reads that padding uninitialised, so such convolutions returned garbage and
 * NaN. Channels-last has no padded channels, and skips the reorders around every convolution.
 * (The 1x1 shapes that oneDNN cannot plan at all are kept from it by the models' own
 * convolution layer, docs/DECISIONS.md 32.)
 *
 * <p>{@code -Droentgen.channelsLast=false} switches it off; {@code =true} also turns it on for
 * GPUs (not measured there yet).
 */
public final class ChannelsLast {
    private static volatile String mode = System.getProperty("roentgen.channelsLast", "cpu").toLowerCase(Locale.ROOT);

    private ChannelsLast() {
    }

    /** How batches on this device are laid out: {@link #of} where channels-last is on, else unchanged. */
    public static UnaryOperator<NDArray> forDevice(Device device) {
        return enabledFor(device) ? ChannelsLast::of : UnaryOperator.identity();
    }

    /** Whether batches on this device are laid out channels-last. */
    public static boolean enabledFor(Device device) {
        String m = mode;
        return "true".equals(m) || "cpu".equals(m) && Device.Type.CPU.equals(device.getDeviceType());
    }

    /**
     * The batch in channels-last layout: a view for a single channel, one copy otherwise.
     *
     * @param batch an N x C x H x W array in the default contiguous layout; other ranks are returned as they are
     */
    public static NDArray of(NDArray batch) {
        Shape shape = batch.getShape();
        if (shape.dimension() != 4) {
            return batch;
        }
        // permute to N,H,W,C, make that contiguous (a view when C == 1), permute back: the
        // strides are then NHWC, which libtorch reads as the channels-last memory format.
        return batch.transpose(0, 2, 3, 1).reshape(-1)
                .reshape(shape.get(0), shape.get(2), shape.get(3), shape.get(1))
                .transpose(0, 3, 1, 2);
    }

    /**
     * An uninitialised N x C x H x W array on {@code like}'s manager and device, laid out as
     * {@link #forDevice} lays batches out there.
     */
    public static NDArray empty(NDArray like, Shape nchw) {
        if (!enabledFor(like.getDevice())) {
            return like.getManager().create(nchw, like.getDataType(), like.getDevice());
        }
        Shape nhwc = new Shape(nchw.get(0), nchw.get(2), nchw.get(3), nchw.get(1));
        try (NDArray storage = like.getManager().create(nhwc, like.getDataType(), like.getDevice())) {
            // the view keeps the memory; the handle closed here would keep it until the manager closes
            return storage.transpose(0, 3, 1, 2);
        }
    }

    /**
     * Sets the mode for the whole process ({@code cpu}, {@code true} or {@code false}), for
     * comparisons of the two layouts in tests and benchmarks. Returns the previous mode.
     */
    public static String setMode(String newMode) {
        String previous = mode;
        mode = newMode.toLowerCase(Locale.ROOT);
        return previous;
    }
}
