package io.roentgen.server.testing;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.EncapsulatedPixelData;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.VR;

import java.util.List;
import java.util.SplittableRandom;

/** Small deterministic DICOM images (16-bit MONOCHROME2, random blobs) written with DicomWriter. */
public final class SyntheticDicom {
    public static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

    private SyntheticDicom() {}

    /** One Part 10 instance; {@code seed} decides the pixels and, with the study, the UIDs. */
    public static byte[] instance(String studyUid, int seed) {
        return DicomWriter.explicitLittleEndian().toByteArray(dataSet(studyUid, seed, true));
    }

    /** The same instance without Pixel Data (422). */
    public static byte[] withoutPixels(String studyUid, int seed) {
        return DicomWriter.explicitLittleEndian().toByteArray(dataSet(studyUid, seed, false));
    }

    /** An instance in MPEG-2, a transfer syntax no decoder handles (422 / C122). */
    public static byte[] unsupportedTransferSyntax(String studyUid, int seed) {
        DicomObject ds = dataSet(studyUid, seed, false);
        ds.putEncapsulatedPixelData(EncapsulatedPixelData.ofFrames(List.of(new byte[] {1, 2, 3, 4})));
        return DicomWriter.of(TransferSyntax.MPEG2_MPML).toByteArray(ds);
    }

    /**
     * A deflated data set with a blank 16-bit frame of {@code rows} x {@code columns}: a few KB on
     * the wire that inflate to the frame's size, within the reader's ratio and size limits.
     */
    public static byte[] deflatedBlank(String studyUid, int rows, int columns) {
        DicomObject ds = dataSet(studyUid, 0, false);
        ds.putInts(Tag.Rows, rows);
        ds.putInts(Tag.Columns, columns);
        ds.putPixelData(VR.OW, new byte[2 * rows * columns]);
        return DicomWriter.of(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN).toByteArray(ds);
    }

    public static String sopInstanceUid(String studyUid, int seed) {
        return studyUid + ".2." + (seed + 1);
    }

    private static DicomObject dataSet(String studyUid, int seed, boolean pixels) {
        int rows = 40 + seed % 17;
        int columns = 48 + seed % 13;
        DicomObject ds = new DicomObject();
        ds.putString(Tag.SOPClassUID, SECONDARY_CAPTURE);
        ds.putString(Tag.SOPInstanceUID, sopInstanceUid(studyUid, seed));
        ds.putString(Tag.StudyInstanceUID, studyUid);
        ds.putString(Tag.SeriesInstanceUID, studyUid + ".1");
        ds.putString(Tag.PatientID, "SYNTHETIC");
        ds.putString(Tag.PatientName, "Synthetic^Test");
        ds.putString(Tag.Modality, "OT");
        ds.putString(Tag.InstanceNumber, VR.IS, Integer.toString(seed + 1));
        ds.putInts(Tag.Rows, rows);
        ds.putInts(Tag.Columns, columns);
        ds.putInts(Tag.SamplesPerPixel, 1);
        ds.putString(Tag.PhotometricInterpretation, "MONOCHROME2");
        ds.putInts(Tag.BitsAllocated, 16);
        ds.putInts(Tag.BitsStored, 12);
        ds.putInts(Tag.HighBit, 11);
        ds.putInts(Tag.PixelRepresentation, 0);
        if (pixels) {
            ds.putPixelData(VR.OW, pixels(rows, columns, seed));
        }
        return ds;
    }

    private static byte[] pixels(int rows, int columns, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double cy = random.nextDouble(rows), cx = random.nextDouble(columns), r = 4 + random.nextDouble(12);
        byte[] out = new byte[rows * columns * 2];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++) {
                double d = Math.hypot(y - cy, x - cx);
                int v = (int) Math.min(4095, Math.max(0, 600 + 2500 * Math.exp(-d * d / (2 * r * r)) + random.nextInt(200)));
                int i = 2 * (y * columns + x);
                out[i] = (byte) v;
                out[i + 1] = (byte) (v >> 8);
            }
        }
        return out;
    }
}
