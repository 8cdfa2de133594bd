package io.roentgen.benchmarks.jmh;

import io.roentgen.benchmarks.decode.BenchFiles;
import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.rle.RleEncoder;
import io.roentgen.dicom.ImageDescriptor;
import io.roentgen.dicom.pixel.PixelAttributes;

/**
 * The microbenchmarks' input: one 512x512 CT slice, 16 bits allocated, 12 stored (high bit 11),
 * unsigned, rescale intercept -1024, in the encodings the hot loops read.
 */
public final class CtFrame {
    public static final int SIZE = 512;
    public static final ImageDescriptor IMAGE = new ImageDescriptor(SIZE, SIZE, 1, 16, 12, 11, false, 0,
            "MONOCHROME2", 1);
    public static final PixelAttributes ATTRIBUTES = PixelAttributes.builder().rescale(1, -1024).build();

    private CtFrame() {}

    /** Clean stored values, little endian. */
    public static byte[] stored() {
        return BenchFiles.pixels(SIZE, true, 7);
    }

    /**
     * The stored values with noise in the 4 bits above BitsStored (as overlay bits or a sloppy
     * writer leave them), so the native decode has to mask: the decoded frame must equal
     * {@link #stored()}.
     */
    public static byte[] storedWithHighBitNoise() {
        byte[] bytes = stored();
        for (int i = 1; i < bytes.length; i += 2) {
            bytes[i] |= (byte) ((i * 0x9E3779B1) >>> 28 << 4);
        }
        return bytes;
    }

    public static byte[] rle() throws DicomException {
        return new RleEncoder().encode(stored(), IMAGE);
    }

    public static byte[] jpegLossless() {
        return new LosslessJpegWriter().encode(stored(), SIZE, SIZE, IMAGE.bitsStored());
    }
}
