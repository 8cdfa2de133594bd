package io.roentgen.dicom.codec;

import io.roentgen.dicom.DecodeTimeoutException;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of the pixel decoding running on this thread. A caller opens a {@link Scope}
 * around decoding; the decoders check it at coarse intervals (per row, per segment, per block of
 * codestream reads) and throw {@link DecodeTimeoutException} once it has passed.
 *
 * <p>Why a thread-scoped value and not a parameter: decoding is reached through several layers
 * ({@code Preprocessing}, {@code DicomPixels}, {@link PixelDecoder}) whose signatures many
 * modules use; a scope lets a server bound the decode of one request without changing them.
 * Without a scope there is no deadline and checks cost one thread-local read.
 */
public final class DecodeDeadline {
    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

    private DecodeDeadline() {}

    /**
     * Decoding on this thread must end by {@code deadlineNanoTime} (a {@link System#nanoTime()}
     * value) until the returned scope is closed; the previous deadline then applies again.
     */
    public static Scope until(long deadlineNanoTime) {
        Long previous = DEADLINE.get();
        DEADLINE.set(deadlineNanoTime);
        return new Scope(previous);
    }

    /** Throws once the deadline of this thread, if any, has passed. */
    public static void check() throws DecodeTimeoutException {
        Long deadline = DEADLINE.get();
        if (deadline != null) {
            long late = System.nanoTime() - deadline;
            if (late >= 0) {
                throw new DecodeTimeoutException("pixel decoding stopped: its deadline passed "
                        + TimeUnit.NANOSECONDS.toMillis(late) + " ms ago");
            }
        }
    }

    /** Whether this thread has a deadline and it has passed. */
    public static boolean passed() {
        Long deadline = DEADLINE.get();
        return deadline != null && System.nanoTime() - deadline >= 0;
    }

    /** {@code task} run under this thread's deadline, for handing decoding to another thread. */
    public static <T> Callable<T> carry(Callable<T> task) {
        Long deadline = DEADLINE.get();
        if (deadline == null) {
            return task;
        }
        return () -> {
            try (Scope ignored = until(deadline)) {
                return task.call();
            }
        };
    }

    /** Restores the enclosing deadline on close. */
    public static final class Scope implements AutoCloseable {
        private final Long previous;

        private Scope(Long previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                DEADLINE.remove();
            } else {
                DEADLINE.set(previous);
            }
        }
    }
}
