package io.roentgen.dicom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encapsulated (compressed) Pixel Data: the Basic Offset Table (the first item), the fragments
 * that follow it, and when the data set has them the Extended Offset Table (7FE0,0001) and
 * Extended Offset Table Lengths (7FE0,0002). Parsed fragments are views of the parsed bytes;
 * {@link #fragment(int)} and {@link #frames(int)} copy.
 *
 * <p>Offsets in both tables count from the first byte of the first fragment's item tag, as in
 * PS3.5 A.4.
 */
public final class EncapsulatedPixelData {
    private static final long[] NONE = new long[0];

    private final ByteSource source;
    private final byte[][] arrays; // null entries: source.buf
    private final int[] offsets;
    private final int[] lengths;
    private final long[] basicOffsetTable;
    private final long[] extendedOffsets;
    private final long[] extendedLengths;
    private final long[] itemPositions;

    private EncapsulatedPixelData(ByteSource source, byte[][] arrays, int[] offsets, int[] lengths,
                                  long[] basicOffsetTable, long[] extendedOffsets, long[] extendedLengths) {
        this.source = source;
        this.arrays = arrays;
        this.offsets = offsets;
        this.lengths = lengths;
        this.basicOffsetTable = basicOffsetTable;
        this.extendedOffsets = extendedOffsets;
        this.extendedLengths = extendedLengths;
        this.itemPositions = new long[lengths.length + 1];
        for (int i = 0; i < lengths.length; i++) {
            itemPositions[i + 1] = itemPositions[i] + 8 + lengths[i];
        }
    }

    /** From the parser: items in {@code source}; the first item is the Basic Offset Table. */
    static EncapsulatedPixelData parsed(ByteSource source, int[] itemOffsets, int[] itemLengths, int items, boolean bigEndian) {
        long[] bot = NONE;
        int first = 0;
        if (items > 0) {
            bot = new long[itemLengths[0] / 4];
            for (int k = 0; k < bot.length; k++) {
                bot[k] = Bytes.i32(source.buf, itemOffsets[0] + 4 * k, bigEndian) & 0xFFFFFFFFL;
            }
            first = 1;
        }
        int n = Math.max(0, items - first);
        return new EncapsulatedPixelData(source, new byte[n][], Arrays.copyOfRange(itemOffsets, first, first + n),
                Arrays.copyOfRange(itemLengths, first, first + n), bot, null, null);
    }

    /**
     * One fragment per frame, with a Basic Offset Table (empty when the data exceed what 32-bit
     * offsets can address). Odd-length frames are padded with a zero byte, as PS3.5 requires.
     */
    public static EncapsulatedPixelData ofFrames(List<byte[]> frames) {
        return ofFragments(frames, true);
    }

    /**
     * Fragments as given (padded to even length), with a Basic Offset Table pointing at every
     * fragment when {@code offsetTable} (one fragment per frame), or an empty one.
     */
    public static EncapsulatedPixelData ofFragments(List<byte[]> fragments, boolean offsetTable) {
        int n = fragments.size();
        byte[][] arrays = new byte[n][];
        int[] offs = new int[n];
        int[] lens = new int[n];
        long pos = 0;
        long[] bot = offsetTable ? new long[n] : NONE;
        for (int i = 0; i < n; i++) {
            byte[] f = fragments.get(i);
            arrays[i] = f.length % 2 == 0 ? f.clone() : Arrays.copyOf(f, f.length + 1);
            lens[i] = arrays[i].length;
            if (offsetTable) {
                bot[i] = pos;
            }
            pos += 8L + lens[i];
        }
        if (offsetTable && pos > 0xFFFFFFFFL) {
            bot = NONE;
        }
        return new EncapsulatedPixelData(null, arrays, offs, lens, bot, null, null);
    }

    EncapsulatedPixelData withExtendedOffsetTable(long[] offsets, long[] lengths) {
        return new EncapsulatedPixelData(source, arrays, this.offsets, this.lengths, basicOffsetTable, offsets, lengths);
    }

    /** Number of fragments after the Basic Offset Table item. */
    public int fragmentCount() {
        return lengths.length;
    }

    /** Length of fragment {@code i} as encoded. */
    public int fragmentLength(int i) {
        return lengths[i];
    }

    /** A copy of fragment {@code i}. */
    public byte[] fragment(int i) {
        return Arrays.copyOfRange(array(i), offsets[i], offsets[i] + lengths[i]);
    }

    private byte[] array(int i) {
        return arrays[i] != null ? arrays[i] : source.buf;
    }

    /** The Basic Offset Table: one offset per frame, or empty. */
    public long[] basicOffsetTable() {
        return basicOffsetTable.clone();
    }

    /** The Extended Offset Table (7FE0,0001), or null when the data set has none. */
    public long[] extendedOffsetTable() {
        return extendedOffsets == null ? null : extendedOffsets.clone();
    }

    /** The Extended Offset Table Lengths (7FE0,0002), or null when the data set has none. */
    public long[] extendedOffsetTableLengths() {
        return extendedLengths == null ? null : extendedLengths.clone();
    }

    /** Total bytes of all fragment values. */
    public long totalFragmentBytes() {
        long t = 0;
        for (int l : lengths) {
            t += l;
        }
        return t;
    }

    /**
     * The frames, each its fragments concatenated. Frame boundaries come from, in this order: the
     * Extended Offset Table, the Basic Offset Table (when it has one entry per frame), one fragment
     * per frame (when the counts match), all fragments as one frame (when there is one frame), and
     * fragments that start with a JPEG SOI or JPEG 2000 SOC marker.
     *
     * @param numberOfFrames Number of Frames (0028,0008), 1 when absent
     * @throws DicomException when the fragments cannot be split into that many frames
     */
    public List<byte[]> frames(int numberOfFrames) throws DicomException {
        int[] starts = frameStarts(numberOfFrames);
        List<byte[]> out = new ArrayList<>(numberOfFrames);
        for (int f = 0; f < numberOfFrames; f++) {
            out.add(concat(starts[f], starts[f + 1], frameLengthLimit(starts, f)));
        }
        return out;
    }

    /** One frame (0-based), as in {@link #frames(int)}. */
    public byte[] frame(int index, int numberOfFrames) throws DicomException {
        int[] starts = frameStarts(numberOfFrames);
        if (index < 0 || index >= numberOfFrames) {
            throw new DicomException("frame " + index + " out of range: the image has " + numberOfFrames + " frames");
        }
        return concat(starts[index], starts[index + 1], frameLengthLimit(starts, index));
    }

    /** The Extended Offset Table Lengths entry when the split used that table, else no limit. */
    private long frameLengthLimit(int[] starts, int frame) {
        return starts[starts.length - 1] == 1 ? extendedLengths[frame] : Long.MAX_VALUE;
    }

    private byte[] concat(int from, int to, long limit) throws DicomException {
        long total = 0;
        for (int i = from; i < to; i++) {
            total += lengths[i];
        }
        total = Math.min(total, limit);
        if (total > Integer.MAX_VALUE - 16) {
            throw new DicomException("an encapsulated frame of " + total + " bytes is larger than 2 GiB");
        }
        byte[] out = new byte[(int) total];
        int pos = 0;
        for (int i = from; i < to && pos < out.length; i++) {
            int n = Math.min(lengths[i], out.length - pos);
            System.arraycopy(array(i), offsets[i], out, pos, n);
            pos += n;
        }
        return out;
    }

    /**
     * Index of the first fragment of each frame, then the fragment count, then 1 when the Extended
     * Offset Table Lengths apply (0 otherwise).
     */
    private int[] frameStarts(int n) throws DicomException {
        int k = lengths.length;
        if (n < 1) {
            throw new DicomException("Number of Frames is " + n + "; encapsulated Pixel Data needs at least 1");
        }
        if (k == 0) {
            throw new DicomException("encapsulated Pixel Data has no fragments");
        }
        if (n > k) {
            throw new DicomException("encapsulated Pixel Data has " + k + " fragments, fewer than the " + n
                    + " frames of Number of Frames (0028,0008)");
        }
        if (extendedOffsets != null && extendedOffsets.length == n) {
            int[] s = startsFromOffsets(extendedOffsets, n);
            if (s != null) {
                s[n + 1] = extendedLengths != null && extendedLengths.length == n ? 1 : 0;
                return s;
            }
        }
        if (basicOffsetTable.length == n) {
            int[] s = startsFromOffsets(basicOffsetTable, n);
            if (s != null) {
                return s;
            }
        }
        int[] s = new int[n + 2];
        s[n] = k;
        if (k == n) {
            for (int f = 0; f < n; f++) {
                s[f] = f;
            }
            return s;
        }
        if (n == 1) {
            return s;
        }
        int found = 0;
        for (int i = 0; i < k && found <= n; i++) {
            if (startsWithMarker(i)) {
                if (found < n) {
                    s[found] = i;
                }
                found++;
            }
        }
        if (found == n && s[0] == 0) {
            return s;
        }
        throw new DicomException("cannot split " + k + " fragments into " + n
                + " frames: no usable Basic or Extended Offset Table");
    }

    private int[] startsFromOffsets(long[] table, int n) {
        int[] s = new int[n + 2];
        s[n] = lengths.length;
        for (int f = 0; f < n; f++) {
            int idx = Arrays.binarySearch(itemPositions, 0, lengths.length, table[f]);
            if (idx < 0 || (f > 0 && idx <= s[f - 1]) || (f == 0 && idx != 0)) {
                return null;
            }
            s[f] = idx;
        }
        return s;
    }

    private boolean startsWithMarker(int i) {
        byte[] a = array(i);
        int o = offsets[i];
        int len = lengths[i];
        if (len >= 3 && (a[o] & 0xFF) == 0xFF && (a[o + 1] & 0xFF) == 0xD8 && (a[o + 2] & 0xFF) == 0xFF) {
            return true; // JPEG, JPEG-LS SOI
        }
        if (len >= 4 && (a[o] & 0xFF) == 0xFF && (a[o + 1] & 0xFF) == 0x4F && (a[o + 2] & 0xFF) == 0xFF
                && (a[o + 3] & 0xFF) == 0x51) {
            return true; // JPEG 2000 codestream SOC SIZ
        }
        return len >= 8 && a[o] == 0 && a[o + 1] == 0 && a[o + 2] == 0 && a[o + 3] == 0x0C
                && a[o + 4] == 'j' && a[o + 5] == 'P'; // JP2 signature box
    }

    @Override
    public String toString() {
        return "EncapsulatedPixelData[" + lengths.length + " fragments, " + basicOffsetTable.length
                + " basic offsets" + (extendedOffsets == null ? "" : ", " + extendedOffsets.length + " extended offsets") + "]";
    }
}
