package io.roentgen.dicom.pixel;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Recycles the sample arrays of 16-bit frames that a caller is done with, for loops that decode
 * one file after another and keep only what they make of each frame (a training loader, the
 * server's preprocessing, a decode benchmark).
 *
 * <p>Why: a fresh 512x512 frame is a 512 KiB array the JVM must zero and that lands in memory
 * not in any cache; decoding into an array that was just used (still in L2/L3) and needs no
 * zeroing makes reading and decoding a 512x512 slice from the page cache about a third faster
 * (BENCHMARKS.md). The pool is bounded in bytes, so it never holds more than that, and arrays of
 * any size it does not hold are simply allocated.
 *
 * <p>Contract: after {@link #release(Frame)} the frame (and any array taken from it) must not be
 * used again; the next frame decoded may overwrite it. Thread-safe.
 */
public final class FramePool implements IntFunction<short[]> {
    /** Enough for a few 2048x2048 frames or a hundred 512x512 ones per pool. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    private static final FramePool SHARED = new FramePool(DEFAULT_MAX_BYTES);

    private final long maxBytes;
    private final Map<Integer, ArrayDeque<short[]>> free = new HashMap<>();
    private long pooledBytes;

    /** A pool that holds at most {@code maxBytes} of idle arrays. */
    public FramePool(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The process-wide pool the preprocessing path uses. */
    public static FramePool shared() {
        return SHARED;
    }

    /** An array of exactly {@code length} shorts, recycled when one is idle, else new. Contents are undefined. */
    @Override
    public short[] apply(int length) {
        synchronized (free) {
            ArrayDeque<short[]> arrays = free.get(length);
            short[] array = arrays == null ? null : arrays.pollLast();
            if (array != null) {
                pooledBytes -= bytes(array);
                return array;
            }
        }
        return new short[length];
    }

    /** Gives the frame's 16-bit array back; the frame must not be used after this. Frames of ints are ignored. */
    public void release(Frame frame) {
        short[] array = frame.shortSamples();
        if (array == null) {
            return;
        }
        synchronized (free) {
            if (pooledBytes + bytes(array) > maxBytes) {
                return; // the GC takes it
            }
            free.computeIfAbsent(array.length, k -> new ArrayDeque<>()).addLast(array);
            pooledBytes += bytes(array);
        }
    }

    /** Bytes of idle arrays held now. */
    public long pooledBytes() {
        synchronized (free) {
            return pooledBytes;
        }
    }

    private static long bytes(short[] array) {
        return 2L * array.length;
    }
}
