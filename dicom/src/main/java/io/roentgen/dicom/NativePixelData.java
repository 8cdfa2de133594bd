package io.roentgen.dicom;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Native (uncompressed) pixel data: a view of the value as stored in the file, without a copy.
 * The view is either {@code length} bytes at {@code offset} of the array the file was parsed from
 * ({@link #hasArray()}), or, for large files read from a path, a slice of the read-only memory
 * mapping of the file (the page cache itself: nothing was copied). Do not modify the array.
 *
 * <p>A mapping stays valid as long as this object (or the data set) is reachable; the GC unmaps
 * it afterwards. A file replaced or deleted meanwhile leaves it intact; one truncated in place
 * does not: {@link #checkReadable()} tells (as {@link #frame} does, and {@code DicomPixels} before
 * it decodes), {@link #toByteArray()} throws an {@link UncheckedIOException}. Reading a truncated
 * mapping without that check makes the JVM throw an {@link InternalError}, possibly later.
 */
public final class NativePixelData {
    private final int tag;
    private final byte[] array;
    private final int offset;
    private final FileBytes.Mapped mapped;
    private final int length;
    private final ByteOrder byteOrder;
    private final VR vr;

    /**
     * A view of an array.
     *
     * @param tag       (7FE0,0010) Pixel Data, or (7FE0,0008)/(7FE0,0009) float pixel data
     * @param array     the buffer holding the value
     * @param offset    where the value starts in {@code array}
     * @param length    value length in bytes (may exceed what the geometry needs: padding)
     * @param byteOrder of multi-byte samples: big endian only for Explicit VR Big Endian OW
     * @param vr        OB or OW (OF/OD for float pixel data)
     */
    public NativePixelData(int tag, byte[] array, int offset, int length, ByteOrder byteOrder, VR vr) {
        Objects.checkFromIndexSize(offset, length, array.length);
        this.tag = tag;
        this.array = array;
        this.offset = offset;
        this.mapped = null;
        this.length = length;
        this.byteOrder = Objects.requireNonNull(byteOrder, "byteOrder");
        this.vr = vr;
    }

    /** A view of a mapped file. */
    NativePixelData(int tag, FileBytes.Mapped mapped, ByteOrder byteOrder, VR vr) {
        this.tag = tag;
        this.array = null;
        this.offset = 0;
        this.mapped = mapped;
        this.length = mapped.bytes().remaining();
        this.byteOrder = Objects.requireNonNull(byteOrder, "byteOrder");
        this.vr = vr;
    }

    public int tag() {
        return tag;
    }

    /** Value length in bytes (may exceed what the geometry needs: padding). */
    public int length() {
        return length;
    }

    /** Of multi-byte samples: big endian only for Explicit VR Big Endian OW. */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** OB or OW (OF/OD for float pixel data). */
    public VR vr() {
        return vr;
    }

    /** True when the value lies in an array ({@link #array()}, {@link #offset()}); false for a mapped file. */
    public boolean hasArray() {
        return array != null;
    }

    /**
     * The array holding the value (do not modify it).
     *
     * @throws UnsupportedOperationException when the value is a view of a mapped file: use {@link #buffer()}
     */
    public byte[] array() {
        if (array == null) {
            throw new UnsupportedOperationException("pixel data is a view of a mapped file, not of an array: use buffer()");
        }
        return array;
    }

    /** Where the value starts in {@link #array()}; 0 for a mapped file. */
    public int offset() {
        return offset;
    }

    /** A read-only buffer over the value, positioned at 0, in {@link #byteOrder()}. */
    public ByteBuffer buffer() {
        ByteBuffer b = array != null ? ByteBuffer.wrap(array, offset, length).slice() : mapped.bytes().duplicate();
        return b.asReadOnlyBuffer().order(byteOrder);
    }

    /** A copy of the value bytes. */
    public byte[] toByteArray() {
        if (array != null) {
            return Arrays.copyOfRange(array, offset, offset + length);
        }
        try {
            return mapped.copy(0, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks that the value can still be read: always for an array; for a mapped file, that it was
     * not truncated in place since it was read (one {@code stat}).
     *
     * @throws DicomException saying the file was truncated
     */
    public void checkReadable() throws DicomException {
        if (mapped != null) {
            try {
                mapped.checkReadable();
            } catch (IOException e) {
                throw new DicomException(e.getMessage(), e);
            }
        }
    }

    /**
     * True when the byte order of samples matters and is big endian: the bytes must be swapped to
     * get the native little endian layout. (OB and 8-bit data never need it.)
     */
    public boolean needsByteSwap(ImageDescriptor image) {
        return byteOrder == ByteOrder.BIG_ENDIAN && vr != VR.OB && image.bitsAllocated() > 8;
    }

    /** Bytes one frame takes in the value, exactly; -1 when frames of 1-bit data do not start on a byte. */
    public static long frameLength(ImageDescriptor image) {
        long bits = (long) image.rows() * image.columns() * image.samplesPerPixel() * image.bitsAllocated();
        if (bits % 8 != 0) {
            return image.frames() == 1 ? (bits + 7) / 8 : -1;
        }
        return bits / 8;
    }

    /**
     * Checks that the value holds every frame the geometry describes.
     *
     * @throws DicomException naming the sizes when it is shorter
     */
    public void checkGeometry(ImageDescriptor image) throws DicomException {
        long needed = neededBytes(image);
        if (length < needed) {
            throw new DicomException(String.format(
                    "Pixel Data %s holds %d bytes, but %d rows x %d columns x %d samples x %d bits x %d frames need %d",
                    Tag.toString(tag), length, image.rows(), image.columns(), image.samplesPerPixel(),
                    image.bitsAllocated(), image.frames(), needed));
        }
    }

    private static long neededBytes(ImageDescriptor image) {
        long bits = (long) image.rows() * image.columns() * image.samplesPerPixel() * image.bitsAllocated() * image.frames();
        return (bits + 7) / 8;
    }

    /**
     * Offset of frame {@code index} (0-based), after checking the geometry: in {@link #array()}
     * when {@link #hasArray()}, else in {@link #buffer()}.
     */
    public int frameOffset(int index, ImageDescriptor image) throws DicomException {
        checkGeometry(image);
        if (index < 0 || index >= image.frames()) {
            throw new DicomException("frame " + index + " out of range: the image has " + image.frames() + " frames");
        }
        long frame = frameLength(image);
        if (frame < 0) {
            throw new DicomException("1-bit multi-frame pixel data whose frames do not start on a byte boundary are not supported");
        }
        return (int) (offset + frame * index);
    }

    /** A copy of one frame's bytes (as stored: swap if {@link #needsByteSwap} says so). */
    public byte[] frame(int index, ImageDescriptor image) throws DicomException {
        int start = frameOffset(index, image);
        int frameBytes = (int) frameLength(image);
        if (array != null) {
            return Arrays.copyOfRange(array, start, start + frameBytes);
        }
        try {
            return mapped.copy(start, frameBytes);
        } catch (IOException e) {
            throw new DicomException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "NativePixelData[tag=" + Tag.toString(tag) + ", length=" + length + ", " + byteOrder + ", " + vr
                + (array != null ? ", array" : ", mapped") + "]";
    }
}
