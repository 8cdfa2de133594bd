package io.roentgen.datasets.dicom;

import io.roentgen.datasets.pixel.ImageDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Native (uncompressed) pixel data: a view of {@code length} bytes at {@code offset} in
 * {@code array}, as stored in the file, without a copy. Do not modify {@code array}: it is the
 * buffer the whole file was parsed from.
 *
 * @param tag       (7FE0,0010) Pixel Data, or (7FE0,0008)/(7FE0,0009) float pixel data
 * @param array     the buffer holding the value
 * @param offset    where the value starts in {@code array}
 * @param length    value length in bytes (may exceed what the geometry needs: padding)
 * @param byteOrder of multi-byte samples: big endian only for Explicit VR Big Endian OW
 * @param vr        OB or OW (OF/OD for float pixel data)
 */
public record NativePixelData(int tag, byte[] array, int offset, int length, ByteOrder byteOrder, VR vr) {

    /** A read-only buffer over the value, positioned at 0, in {@link #byteOrder()}. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer().order(byteOrder);
    }

    /** A copy of the value bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
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

    /** Offset in {@link #array()} of frame {@code index} (0-based), after checking the geometry. */
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
        return Arrays.copyOfRange(array, start, start + (int) frameLength(image));
    }
}
