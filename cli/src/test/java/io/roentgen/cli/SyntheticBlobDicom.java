package io.roentgen.cli;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * Small synthetic radiographs for model tests: 32x32, 16-bit MONOCHROME2 noise around 1000, and
 * in the positives a bright Gaussian blob somewhere; a fixed window (0..4095) so every image is
 * preprocessed on the same scale. Deterministic for a seed; UIDs derive from the index.
 */
final class SyntheticBlobDicom {
    static final int SIZE = 32;
    static final String PATIENT_NAME = "Doe^Jane";
    private static final String ROOT = "1.2.826.0.1.3680043.10.1234.";

    private SyntheticBlobDicom() {}

    static String studyUid(int index) {
        return ROOT + "1." + index;
    }

    static String seriesUid(int index) {
        return ROOT + "2." + index;
    }

    static String instanceUid(int index) {
        return ROOT + "3." + index;
    }

    static void write(Path file, int index, boolean blob, long seed) throws IOException {
        DicomWriter.explicitLittleEndian().write(dataSet(index, blob, seed), file);
    }

    /** The data set {@link #write} writes. */
    static DicomObject dataSet(int index, boolean blob, long seed) {
        Random random = new Random(seed * 7919 + index);
        byte[] pixels = new byte[SIZE * SIZE * 2];
        int cy = 8 + random.nextInt(SIZE - 16);
        int cx = 8 + random.nextInt(SIZE - 16);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double v = 1000 + 250 * random.nextGaussian();
                if (blob) {
                    v += 2200 * Math.exp(-((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (2 * 3.0 * 3.0));
                }
                int s = (int) Math.max(0, Math.min(4095, Math.round(v)));
                pixels[2 * (y * SIZE + x)] = (byte) s;
                pixels[2 * (y * SIZE + x) + 1] = (byte) (s >> 8);
            }
        }
        DicomObject ds = new DicomObject()
                .putString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
                .putString(Tag.SOPInstanceUID, instanceUid(index))
                .putString(Tag.StudyInstanceUID, studyUid(index))
                .putString(Tag.SeriesInstanceUID, seriesUid(index))
                .putString(Tag.PatientName, PATIENT_NAME)
                .putString(Tag.PatientID, "PAT-" + index)
                .putString(Tag.Modality, "OT")
                .putInts(Tag.Rows, SIZE)
                .putInts(Tag.Columns, SIZE)
                .putInts(Tag.SamplesPerPixel, 1)
                .putString(Tag.PhotometricInterpretation, "MONOCHROME2")
                .putInts(Tag.BitsAllocated, 16)
                .putInts(Tag.BitsStored, 12)
                .putInts(Tag.HighBit, 11)
                .putInts(Tag.PixelRepresentation, 0)
                .putDoubles(Tag.WindowCenter, VR.DS, 2048)
                .putDoubles(Tag.WindowWidth, VR.DS, 4096);
        ds.putPixelData(VR.OW, pixels);
        return ds;
    }
}
