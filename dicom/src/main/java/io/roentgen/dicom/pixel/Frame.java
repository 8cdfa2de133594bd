package io.roentgen.dicom.pixel;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The stored values of one frame with its geometry: what {@link NativePixelDecoder} produces and
 * what {@link ColorConversion}, the window step ({@code io.roentgen.dicom.image.Windowing}) and {@link NpyWriter} consume.
 *
 * <p>{@code samples} holds one int per sample, row-major, samples of a pixel interleaved
 * ({@code R G B R G B ...} for colour) whatever the planar configuration of the source was, and
 * always at full resolution: a {@code YBR_FULL_422} frame has three samples for every pixel, its
 * chroma repeated for both pixels of a pair. Values are already masked to {@code bitsStored} bits
 * and sign-extended when {@code signed}. The one case an int cannot hold is unsigned 32-bit
 * ({@code bitsStored == 32 && !signed}): there the int is the value's bit pattern, read it with
 * {@link #sampleAsLong(int)} or {@link Integer#toUnsignedLong(int)}.
 *
 * <p>The array is shared, not copied: a Frame is a view the caller must not mutate while others
 * read it. Equality compares the array by identity; use {@link #sameValues(Frame)}.
 *
 * <p><b>16-bit storage.</b> A frame of at most 16 significant bits may be held as a
 * {@code short[]} instead ({@link #ofShorts}): half the memory and memory traffic, which is what
 * the native decoder produces for BitsAllocated 16. {@link #samples()} then widens it once, on
 * first use, and keeps the result; hot loops read {@link #shortSamples()} directly (or
 * {@link #sample(int)}) and never pay for the widening. Either way the values are the same.
 *
 * <p>Its parts (one accessor each; it is a class rather than a record because of the 16-bit
 * storage):
 * <ul>
 *   <li>{@code rows}: pixel rows</li>
 *   <li>{@code columns}: pixel columns</li>
 *   <li>{@code samplesPerPixel}: 1 or 3</li>
 *   <li>{@code bitsAllocated}: 1, 8, 16 or 32: the width of the source cells, which fixes the .npy dtype</li>
 *   <li>{@code bitsStored}: significant bits of each value</li>
 *   <li>{@code signed}: values are two's complement (PixelRepresentation 1)</li>
 *   <li>{@code photometric}: photometric interpretation of the samples, upper case, e.g. MONOCHROME2, RGB</li>
 *   <li>{@code samples}: {@code rows * columns * samplesPerPixel} values as described above</li>
 * </ul>
 */
public final class Frame {
    private final int rows;
    private final int columns;
    private final int samplesPerPixel;
    private final int bitsAllocated;
    private final int bitsStored;
    private final boolean signed;
    private final String photometric;
    /** The 16-bit storage, or null when the frame was made from ints. */
    private final short[] shorts;
    /** The int storage; for a 16-bit frame the widened copy, made on first use (a benign race). */
    private volatile int[] ints;

    public Frame(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored, boolean signed,
            String photometric, int[] samples) {
        this(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, signed, photometric, samples, null,
                samples == null ? -1 : samples.length);
    }

    private Frame(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored, boolean signed,
            String photometric, int[] ints, short[] shorts, int length) {
        if (rows < 1 || columns < 1) {
            throw new IllegalArgumentException("frame must be at least 1x1, got " + rows + "x" + columns);
        }
        if (samplesPerPixel != 1 && samplesPerPixel != 3) {
            throw new IllegalArgumentException("samplesPerPixel must be 1 or 3, got " + samplesPerPixel);
        }
        if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw new IllegalArgumentException("bitsAllocated must be 1, 8, 16 or 32, got " + bitsAllocated);
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new IllegalArgumentException("bitsStored " + bitsStored + " outside 1.." + bitsAllocated);
        }
        long expected = (long) rows * columns * samplesPerPixel;
        if (length != expected) {
            throw new IllegalArgumentException("expected " + expected + " samples for " + rows + "x" + columns
                    + "x" + samplesPerPixel + ", got " + (length < 0 ? "null" : length));
        }
        this.rows = rows;
        this.columns = columns;
        this.samplesPerPixel = samplesPerPixel;
        this.bitsAllocated = bitsAllocated;
        this.bitsStored = bitsStored;
        this.signed = signed;
        this.photometric = photometric == null ? "" : photometric.trim().toUpperCase(Locale.ROOT);
        this.ints = ints;
        this.shorts = shorts;
    }

    /**
     * A frame held as 16-bit values: the value of sample {@code i} is {@code values[i]} when
     * {@code signed}, {@code values[i] & 0xFFFF} otherwise. The array is shared, not copied.
     *
     * @throws IllegalArgumentException when {@code bitsStored > 16} or the geometry does not match
     */
    public static Frame ofShorts(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
            boolean signed, String photometric, short[] values) {
        if (bitsStored > 16) {
            throw new IllegalArgumentException("16-bit storage holds at most 16 bits, bitsStored is " + bitsStored);
        }
        return new Frame(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, signed, photometric, null,
                values, values == null ? -1 : values.length);
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    public int samplesPerPixel() {
        return samplesPerPixel;
    }

    public int bitsAllocated() {
        return bitsAllocated;
    }

    public int bitsStored() {
        return bitsStored;
    }

    public boolean signed() {
        return signed;
    }

    public String photometric() {
        return photometric;
    }

    /**
     * One int per sample, as described in the class comment. For a frame held as 16-bit values
     * this widens them on the first call and returns the same array afterwards.
     */
    public int[] samples() {
        int[] s = ints;
        if (s == null) {
            s = widen(shorts, signed);
            ints = s;
        }
        return s;
    }

    /** The 16-bit storage (see {@link #ofShorts}), or null when the frame is held as ints. */
    public short[] shortSamples() {
        return shorts;
    }

    /** Sample {@code index} as {@link #samples()} would give it, without widening the whole frame. */
    public int sample(int index) {
        if (shorts == null) {
            return ints[index];
        }
        return signed ? shorts[index] : shorts[index] & 0xFFFF;
    }

    private static int[] widen(short[] values, boolean signed) {
        int[] out = new int[values.length];
        if (signed) {
            for (int i = 0; i < out.length; i++) {
                out[i] = values[i];
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = values[i] & 0xFFFF;
            }
        }
        return out;
    }

    /** Pixels in the frame. */
    public int pixelCount() {
        return rows * columns;
    }

    /** Whether the photometric interpretation is MONOCHROME1 or MONOCHROME2. */
    public boolean isMonochrome() {
        return photometric.startsWith("MONOCHROME");
    }

    /** True when ints hold unsigned 32-bit bit patterns (see the class comment). */
    public boolean isUnsigned32() {
        return bitsStored == 32 && !signed;
    }

    /** Sample {@code index} (pixel * samplesPerPixel + channel) as its true value. */
    public long sampleAsLong(int index) {
        int v = sample(index);
        return isUnsigned32() ? Integer.toUnsignedLong(v) : v;
    }

    /** Smallest value {@code bitsStored} bits can hold: 0 or -2^(bitsStored-1). */
    public long minStoredValue() {
        return signed ? -(1L << (bitsStored - 1)) : 0L;
    }

    /** Largest value {@code bitsStored} bits can hold. */
    public long maxStoredValue() {
        return signed ? (1L << (bitsStored - 1)) - 1 : (1L << bitsStored) - 1;
    }

    /** Same geometry, interpretation and sample values, whatever the storage. */
    public boolean sameValues(Frame other) {
        if (other == null || rows != other.rows || columns != other.columns
                || samplesPerPixel != other.samplesPerPixel || bitsAllocated != other.bitsAllocated
                || bitsStored != other.bitsStored || signed != other.signed
                || !photometric.equals(other.photometric)) {
            return false;
        }
        if (shorts != null && other.shorts != null) {
            return Arrays.equals(shorts, other.shorts);
        }
        return Arrays.equals(samples(), other.samples());
    }

    /** Equal geometry and the very same value array (identity, as a record with an array compares). */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Frame f && rows == f.rows && columns == f.columns
                && samplesPerPixel == f.samplesPerPixel && bitsAllocated == f.bitsAllocated
                && bitsStored == f.bitsStored && signed == f.signed && photometric.equals(f.photometric)
                && storage() == f.storage();
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, signed, photometric,
                System.identityHashCode(storage()));
    }

    private Object storage() {
        return shorts != null ? shorts : ints;
    }

    @Override
    public String toString() {
        return "Frame[" + rows + "x" + columns + "x" + samplesPerPixel + ", " + photometric + ", bitsAllocated="
                + bitsAllocated + ", bitsStored=" + bitsStored + (signed ? ", signed" : "") + "]";
    }
}
