package io.roentgen.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The elements of one data set as parallel arrays sorted by tag (unsigned): tag, VR, and the
 * value, which is either null for a view (offset, length) of the parsed bytes, or a stored
 * object: a String (text set in memory), byte[], {@link FileBytes.Mapped}, a list of items or
 * {@link EncapsulatedPixelData}. Parallel arrays rather than an object per element: a data set of
 * a few hundred elements then costs five arrays, and parsing allocates no element objects.
 *
 * <p>It also answers for the bytes of binary values; text set in memory is the data set's to
 * encode (it needs the Specific Character Set).
 */
final class ElementTable {
    private static final int[] NO_INTS = new int[0];

    /** The parsed bytes that null values are views of; null for a data set built in memory. */
    private final ByteSource source;

    private int size;
    private int[] tags = NO_INTS;
    private VR[] vrs = new VR[0];
    private int[] offsets = NO_INTS;
    private int[] lengths = NO_INTS;
    private Object[] values = new Object[0];
    private boolean sorted = true;

    ElementTable(ByteSource source) {
        this.source = source;
    }

    int size() {
        return size;
    }

    int tag(int i) {
        return tags[i];
    }

    VR vr(int i) {
        return vrs[i];
    }

    int offset(int i) {
        return offsets[i];
    }

    int length(int i) {
        return lengths[i];
    }

    Object value(int i) {
        return values[i];
    }

    int[] tags() {
        return Arrays.copyOf(tags, size);
    }

    /** Appends in parse order; {@link #sortAndDropDuplicates()} restores order afterwards if needed. */
    void append(int tag, VR vr, int offset, int length, Object value) {
        if (size > 0 && Integer.compareUnsigned(tag, tags[size - 1]) <= 0) {
            sorted = false;
        }
        grow();
        write(size++, tag, vr, offset, length, value);
    }

    /** Sorts by tag (stable) and drops later duplicates, after a parse of out-of-order elements. */
    void sortAndDropDuplicates() {
        if (sorted) {
            return;
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        int[] t = tags;
        Arrays.sort(order, (a, b) -> Integer.compareUnsigned(t[a], t[b]));
        ElementTable out = new ElementTable(source);
        for (Integer k : order) {
            if (out.size == 0 || out.tags[out.size - 1] != tags[k]) {
                out.append(tags[k], vrs[k], offsets[k], lengths[k], values[k]);
            }
        }
        size = out.size;
        tags = out.tags;
        vrs = out.vrs;
        offsets = out.offsets;
        lengths = out.lengths;
        values = out.values;
        sorted = true;
    }

    /** Sets the element of {@code tag}, in its place in tag order. */
    void put(int tag, VR vr, int offset, int length, Object value) {
        int i = indexOf(tag);
        if (i < 0) {
            i = -i - 1;
            grow();
            shift(i, i + 1, size - i);
            size++;
        }
        write(i, tag, vr, offset, length, value);
    }

    /** Removes the element at {@code i}. */
    void removeAt(int i) {
        shift(i + 1, i, size - i - 1);
        size--;
        values[size] = null;
    }

    /**
     * The bytes of a binary value without a copy where possible, from {@link #arrayOffset} for
     * {@link #arrayLength} bytes; a copy for a mapped value; null for text set in memory, items
     * and fragments.
     */
    byte[] array(int i) {
        Object v = values[i];
        if (v == null) {
            return source.buf;
        }
        if (v instanceof byte[] b) {
            return b;
        }
        return v instanceof FileBytes.Mapped mapped ? copy(mapped) : null;
    }

    int arrayOffset(int i) {
        return values[i] == null ? offsets[i] : 0;
    }

    int arrayLength(int i) {
        Object v = values[i];
        if (v == null) {
            return lengths[i];
        }
        if (v instanceof byte[] b) {
            return b.length;
        }
        return v instanceof FileBytes.Mapped mapped ? mapped.bytes().remaining() : 0;
    }

    /** A copy of the bytes of a binary value that the caller may keep; null as for {@link #array}. */
    byte[] copyOfBytes(int i) {
        Object v = values[i];
        if (v == null) {
            return Arrays.copyOfRange(source.buf, offsets[i], offsets[i] + lengths[i]);
        }
        return v instanceof byte[] b ? b.clone() : array(i);
    }

    /** A copy of a value that is a view of a mapped file (Pixel Data of a large file). */
    private static byte[] copy(FileBytes.Mapped mapped) {
        try {
            return mapped.copy(0, mapped.bytes().remaining());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index of {@code tag}, or {@code -(insertion point) - 1}. */
    int indexOf(int tag) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(tags[mid], tag);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    private void write(int i, int tag, VR vr, int offset, int length, Object value) {
        tags[i] = tag;
        vrs[i] = vr;
        offsets[i] = offset;
        lengths[i] = length;
        values[i] = value;
    }

    private void shift(int from, int to, int n) {
        System.arraycopy(tags, from, tags, to, n);
        System.arraycopy(vrs, from, vrs, to, n);
        System.arraycopy(offsets, from, offsets, to, n);
        System.arraycopy(lengths, from, lengths, to, n);
        System.arraycopy(values, from, values, to, n);
    }

    private void grow() {
        if (size == tags.length) {
            int cap = Math.max(8, size * 2);
            tags = Arrays.copyOf(tags, cap);
            vrs = Arrays.copyOf(vrs, cap);
            offsets = Arrays.copyOf(offsets, cap);
            lengths = Arrays.copyOf(lengths, cap);
            values = Arrays.copyOf(values, cap);
        }
    }
}
