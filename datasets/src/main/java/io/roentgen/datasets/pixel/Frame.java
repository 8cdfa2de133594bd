package io.roentgen.datasets.pixel;

import java.util.Locale;

/**
 * The stored values of one frame with its geometry: what {@link NativePixelDecoder} produces and
 * what {@link ColorConversion}, {@link PixelPipeline} and {@link NpyWriter} consume.
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
 * read it. Record equality compares the array by identity; use {@link #sameValues(Frame)}.
 *
 * @param rows            pixel rows
 * @param columns         pixel columns
 * @param samplesPerPixel 1 or 3
 * @param bitsAllocated   1, 8, 16 or 32: the width of the source cells, which fixes the .npy dtype
 * @param bitsStored      significant bits of each value
 * @param signed          values are two's complement (PixelRepresentation 1)
 * @param photometric     photometric interpretation of the samples, upper case, e.g. MONOCHROME2, RGB
 * @param samples         {@code rows * columns * samplesPerPixel} values as described above
 */
public record Frame(
        int rows,
        int columns,
        int samplesPerPixel,
        int bitsAllocated,
        int bitsStored,
        boolean signed,
        String photometric,
        int[] samples) {

    public Frame {
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
        photometric = photometric == null ? "" : photometric.trim().toUpperCase(Locale.ROOT);
        long expected = (long) rows * columns * samplesPerPixel;
        if (samples == null || samples.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " samples for " + rows + "x" + columns
                    + "x" + samplesPerPixel + ", got " + (samples == null ? "null" : samples.length));
        }
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
        int v = samples[index];
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

    /** Same geometry, interpretation and sample values. */
    public boolean sameValues(Frame other) {
        return other != null && rows == other.rows && columns == other.columns
                && samplesPerPixel == other.samplesPerPixel && bitsAllocated == other.bitsAllocated
                && bitsStored == other.bitsStored && signed == other.signed
                && photometric.equals(other.photometric) && java.util.Arrays.equals(samples, other.samples);
    }

    @Override
    public String toString() {
        return "Frame[" + rows + "x" + columns + "x" + samplesPerPixel + ", " + photometric + ", bitsAllocated="
                + bitsAllocated + ", bitsStored=" + bitsStored + (signed ? ", signed" : "") + "]";
    }
}
