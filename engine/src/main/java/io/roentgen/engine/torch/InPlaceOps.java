package io.roentgen.engine.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;

/**
 * In-place activations for arrays their caller owns: libtorch's {@code relu_} and {@code relu6_},
 * which DJL 0.36 does not expose. Out of place, every ReLU of a network allocates a fresh
 * activation-sized array and page-faults it in (30 ms against 3.6 ms for 32x128x56x56 on this
 * CPU; docs/DECISIONS.md 27 and 29); torchvision's networks all use {@code inplace=True}.
 *
 * <p>The operators come from {@link NativeLibrary}, which calls into the libtorch DJL loaded. Where
 * that library or the operators are missing (another OS, another libtorch), or in-place
 * operators are switched off ({@code -Droentgen.inplaceOps=false}, or {@link #setEnabled} for an
 * A/B comparison), the functions fall back to DJL's out-of-place operators: same values, more
 * memory traffic.
 *
 * <p>Autograd records the in-place operators like PyTorch's own, so they are safe in training
 * wherever torchvision uses them (after a batch norm, a convolution or a residual sum, whose
 * backward passes do not read their output); misuse raises libtorch's error, never a wrong
 * gradient.
 */
public final class InPlaceOps {

    private static volatile boolean enabled = !"false".equalsIgnoreCase(System.getProperty("roentgen.inplaceOps"));

    private InPlaceOps() {
    }

    /** ReLU of {@code x}, written into {@code x} where possible; {@code x} must not be read again. */
    public static NDArray relu(NDArray x) {
        if (usable(x)) {
            reluInPlace(((PtNDArray) x).getHandle());
            return x;
        }
        return Activation.relu(x);
    }

    /** {@code min(max(x, 0), 6)}, written into {@code x} where possible; as {@link #relu}. */
    public static NDArray relu6(NDArray x) {
        if (usable(x)) {
            relu6InPlace(((PtNDArray) x).getHandle());
            return x;
        }
        return Activation.relu6(x);
    }

    /** Whether the in-place operators are bound to the loaded libtorch (and not switched off). */
    public static boolean available() {
        return enabled && Native.BOUND;
    }

    /**
     * Switches the in-place operators on or off for the whole process, for comparisons of the
     * two paths (tests, benchmarks). Returns the previous setting.
     */
    public static boolean setEnabled(boolean on) {
        boolean previous = enabled;
        enabled = on;
        return previous;
    }

    private static boolean usable(NDArray x) {
        return x instanceof PtNDArray && available();
    }

    private static native boolean bind();

    private static native void reluInPlace(long tensorHandle);

    private static native void relu6InPlace(long tensorHandle);

    /** Binds once, on the first array that could use the operators (libtorch is loaded then). */
    private static final class Native {
        static final boolean BOUND = NativeLibrary.bind(InPlaceOps::bind,
                "libtorch's relu_/relu6_ not found in the loaded libtorch: out-of-place activations");
    }
}
