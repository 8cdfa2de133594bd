package io.roentgen.dicom;

/**
 * The Image Pixel module of one instance: what the stored pixel bytes mean.
 *
 * @param rows                (0028,0010)
 * @param columns             (0028,0011)
 * @param samplesPerPixel     (0028,0002): 1 or 3
 * @param bitsAllocated       (0028,0100): 1, 8, 16 or 32
 * @param bitsStored          (0028,0101)
 * @param highBit             (0028,0102)
 * @param signed              (0028,0103) PixelRepresentation == 1
 * @param planarConfiguration (0028,0006): 0 interleaved (R1G1B1R2...), 1 planar (R..G..B..)
 * @param photometric         (0028,0004), e.g. MONOCHROME2, RGB, YBR_FULL_422
 * @param frames              (0028,0008) NumberOfFrames, 1 when absent
 */
public record ImageDescriptor(
        int rows,
        int columns,
        int samplesPerPixel,
        int bitsAllocated,
        int bitsStored,
        int highBit,
        boolean signed,
        int planarConfiguration,
        String photometric,
        int frames) {

    /** Pixels in one frame. */
    public int pixelsPerFrame() {
        return rows * columns;
    }

    /** Bytes one uncompressed frame occupies in native (little endian) layout. */
    public long nativeFrameBytes() {
        long bits = (long) rows * columns * samplesPerPixel * bitsAllocated;
        return (bits + 7) / 8;
    }

    /** This descriptor with another photometric interpretation (e.g. what a codec returned). */
    public ImageDescriptor withPhotometric(String newPhotometric) {
        return new ImageDescriptor(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed,
                planarConfiguration, newPhotometric, frames);
    }

    /** This descriptor with another planar configuration (codecs return interleaved samples: 0). */
    public ImageDescriptor withPlanarConfiguration(int newPlanarConfiguration) {
        return new ImageDescriptor(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed,
                newPlanarConfiguration, photometric, frames);
    }

    /** This descriptor with another frame count. */
    public ImageDescriptor withFrames(int newFrames) {
        return new ImageDescriptor(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed,
                planarConfiguration, photometric, newFrames);
    }
}
