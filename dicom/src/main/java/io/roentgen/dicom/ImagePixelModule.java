package io.roentgen.dicom;

/**
 * Reads the Image Pixel module (PS3.3 C.7.6.3) of a data set into an {@link ImageDescriptor},
 * checking each attribute's range so that pixel decoding can trust the descriptor.
 */
final class ImagePixelModule {
    private ImagePixelModule() {}

    static ImageDescriptor read(DicomObject ds) throws DicomException {
        int rows = requirePositive(ds, Tag.Rows, "Rows", 65535);
        int columns = requirePositive(ds, Tag.Columns, "Columns", 65535);
        int samples = ds.getInt(Tag.SamplesPerPixel, 1);
        if (samples < 1 || samples > 4) {
            throw new DicomException("Samples per Pixel " + Tag.toString(Tag.SamplesPerPixel) + " is " + samples + ", expected 1 to 4");
        }
        int bitsAllocated = bitsAllocated(ds);
        int bitsStored = ds.getInt(Tag.BitsStored, bitsAllocated);
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new DicomException("Bits Stored " + Tag.toString(Tag.BitsStored) + " is " + bitsStored
                    + ", expected 1 to Bits Allocated (" + bitsAllocated + ")");
        }
        int highBit = ds.getInt(Tag.HighBit, bitsStored - 1);
        if (highBit < bitsStored - 1 || highBit >= bitsAllocated) {
            throw new DicomException("High Bit " + Tag.toString(Tag.HighBit) + " is " + highBit
                    + ", expected " + (bitsStored - 1) + " to " + (bitsAllocated - 1));
        }
        int pixelRepresentation = ds.getInt(Tag.PixelRepresentation, 0);
        int planar = ds.getInt(Tag.PlanarConfiguration, 0);
        String photometric = ds.getString(Tag.PhotometricInterpretation, samples == 1 ? "MONOCHROME2" : "RGB");
        return new ImageDescriptor(rows, columns, samples, bitsAllocated, bitsStored, highBit,
                pixelRepresentation == 1, planar == 1 ? 1 : 0, photometric, frames(ds));
    }

    /** Bits Allocated, or what Float/Double Float Pixel Data imply when it is absent. */
    private static int bitsAllocated(DicomObject ds) throws DicomException {
        int bitsAllocated;
        if (ds.contains(Tag.BitsAllocated)) {
            bitsAllocated = ds.getInt(Tag.BitsAllocated, -1);
        } else if (ds.contains(Tag.FloatPixelData)) {
            bitsAllocated = 32;
        } else if (ds.contains(Tag.DoubleFloatPixelData)) {
            bitsAllocated = 64;
        } else {
            throw new DicomException("Bits Allocated " + Tag.toString(Tag.BitsAllocated) + " is missing");
        }
        if (bitsAllocated != 1 && (bitsAllocated < 8 || bitsAllocated > 64 || bitsAllocated % 8 != 0)) {
            throw new DicomException("Bits Allocated " + Tag.toString(Tag.BitsAllocated) + " is " + bitsAllocated
                    + ", expected 1, 8, 16, 32 or 64");
        }
        return bitsAllocated;
    }

    /** Number of Frames; absent, unparsable or 0 counts as one frame, a negative number is an error. */
    private static int frames(DicomObject ds) throws DicomException {
        int frames = ds.getInt(Tag.NumberOfFrames, 1);
        if (frames < 1) {
            if (frames == 0 || !ds.contains(Tag.NumberOfFrames)) {
                return 1;
            }
            throw new DicomException("Number of Frames " + Tag.toString(Tag.NumberOfFrames) + " is " + frames);
        }
        return frames;
    }

    private static int requirePositive(DicomObject ds, int tag, String name, int max) throws DicomException {
        if (!ds.contains(tag)) {
            throw new DicomException(name + " " + Tag.toString(tag) + " is missing");
        }
        int v = ds.getInt(tag, -1);
        if (v < 1 || v > max) {
            throw new DicomException(name + " " + Tag.toString(tag) + " is " + v + ", expected 1 to " + max);
        }
        return v;
    }
}
