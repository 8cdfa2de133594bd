package io.roentgen.engine.torch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;

/**
 * libtorch's own automatic mixed precision ({@code at::autocast}, what {@code torch.autocast}
 * switches), for the calling thread: inside a scope, convolutions and matrix products run in
 * bf16 or fp16 while reductions, softmax, losses and batch-norm statistics stay fp32, by
 * PyTorch's autocast op lists. It works at libtorch's dispatcher, so it applies to every
 * operator DJL calls through its JNI on this thread (docs/DECISIONS.md 49).
 *
 * <pre>{@code
 * try (Autocast.Scope amp = Autocast.on(device, Precision.BF16)) {
 *     logits = network.forward(...);
 * }
 * }</pre>
 *
 * <p>The state is thread-local like grad mode: a scope must be opened and closed on the thread
 * that computes (a server's batcher thread opens its own). Closing the outermost scope drops the
 * weight copies autocast cached, as {@code torch.autocast.__exit__} does.
 */
public final class Autocast {
    private static final int CPU = 0;
    private static final int CUDA = 1;

    private Autocast() {
    }

    /**
     * Turns autocast on for {@code device}'s type on this thread until the scope closes; for
     * {@link Precision#FP32} a scope that changes nothing.
     *
     * @throws IllegalStateException where libtorch's autocast is not reachable ({@link #available})
     */
    public static Scope on(Device device, Precision precision) {
        if (!precision.isReduced()) {
            return Scope.NONE;
        }
        if (!available()) {
            throw new IllegalStateException("libtorch's autocast is not reachable (native library missing or another libtorch)");
        }
        int type = deviceType(device);
        int previous = enter(type, precision.scalarType());
        return new Scope(type, previous, Thread.currentThread());
    }

    /** Whether autocast is on for {@code device}'s type on this thread. */
    public static boolean isOn(Device device) {
        return available() && enabled(deviceType(device));
    }

    /**
     * {@code x} in fp32, recorded by autograd (PyTorch's {@code x.float()}); {@code x} itself where
     * it is not a bf16 or fp16 array. A network's output under autocast is bf16 or fp16, and DJL
     * 0.36 cannot handle such an array in training: it reads its type as UNKNOWN, any array it
     * makes "like" it ({@code onesLike}, which {@code GradientCollector.backward} seeds the
     * gradient with) passes that code to libdjl_torch's dtype switch, whose default is a bare
     * {@code throw;} that aborts the JVM, and its {@code toType} runs under NoGradGuard, which
     * cuts the graph. Cast the output here before the loss (docs/DECISIONS.md).
     */
    public static NDArray toFullPrecision(NDArray x) {
        DataType type = x.getDataType();
        if (!(x instanceof PtNDArray pt) || type == DataType.FLOAT32 || type == DataType.FLOAT64 || type.isInteger()
                || type.isBoolean()) {
            return x;
        }
        if (!available()) {
            throw new IllegalStateException("libtorch's autocast is not reachable (native library missing or another libtorch)");
        }
        return new PtNDArray((PtNDManager) pt.getManager(), toFullPrecision(pt.getHandle()));
    }

    /** Whether the native library is loaded and bound to libtorch's autocast functions. */
    public static boolean available() {
        return Native.BOUND;
    }

    private static int deviceType(Device device) {
        return Device.Type.GPU.equals(device.getDeviceType()) ? CUDA : CPU;
    }

    private static native boolean bind();

    private static native int enter(int deviceType, int scalarType);

    private static native void exit(int deviceType, int previousState);

    private static native boolean enabled(int deviceType);

    private static native long toFullPrecision(long tensorHandle);

    /** An open autocast region of one thread; closing it restores the state before it. */
    public static final class Scope implements AutoCloseable {
        static final Scope NONE = new Scope(-1, 0, null);

        private final int deviceType;
        private final int previous;
        private final Thread owner;
        private boolean closed;

        private Scope(int deviceType, int previous, Thread owner) {
            this.deviceType = deviceType;
            this.previous = previous;
            this.owner = owner;
        }

        @Override
        public void close() {
            if (owner == null || closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                // the state lives on the owner's thread; restoring it here would corrupt this one
                throw new IllegalStateException("an autocast scope must be closed on the thread that opened it");
            }
            closed = true;
            exit(deviceType, previous);
        }
    }

    private static final class Native {
        static final boolean BOUND = NativeLibrary.bind(Autocast::bind,
                "libtorch's at::autocast functions not found in the loaded libtorch: no mixed precision");
    }
}
