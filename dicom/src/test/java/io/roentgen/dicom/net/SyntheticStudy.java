package io.roentgen.dicom.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.VR;

/** A synthetic CT study written as Explicit VR Little Endian Part 10 files, for the network tests. */
public final class SyntheticStudy {
    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    private SyntheticStudy() {}

    /** A study UID and its files. */
    public record Study(String studyUid, List<Path> files, List<String> sopInstanceUids) {}

    /** Writes {@code count} 16-bit CT slices of {@code size}x{@code size} into {@code dir}. */
    public static Study write(Path dir, int count, int size) throws IOException {
        Files.createDirectories(dir);
        String study = Uids.generate();
        String series = Uids.generate();
        List<Path> files = new ArrayList<>();
        List<String> sops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DicomObject ds = slice(study, series, i, size);
            Path file = dir.resolve(String.format("ct%03d.dcm", i));
            DicomWriter.explicitLittleEndian().write(ds, file);
            files.add(file);
            sops.add(ds.getString(Tag.SOPInstanceUID));
        }
        return new Study(study, files, sops);
    }

    /** One slice's data set, for tests in other packages. */
    public static DicomObject sliceForTests(String study, String series, int index, int size) {
        return slice(study, series, index, size);
    }

    static DicomObject slice(String study, String series, int index, int size) {
        DicomObject ds = new DicomObject();
        ds.putString(Tag.SOPClassUID, VR.UI, CT_IMAGE_STORAGE);
        ds.putString(Tag.SOPInstanceUID, VR.UI, Uids.generate());
        ds.putString(Tag.StudyDate, VR.DA, "20260101");
        ds.putString(Tag.Modality, VR.CS, "CT");
        ds.putString(Tag.PatientName, VR.PN, "SYNTHETIC^PATIENT");
        ds.putString(Tag.PatientID, VR.LO, "SYN001");
        ds.putString(Tag.StudyInstanceUID, VR.UI, study);
        ds.putString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.putString(Tag.InstanceNumber, VR.IS, Integer.toString(index + 1));
        ds.putInts(Tag.SamplesPerPixel, VR.US, 1);
        ds.putString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.putInts(Tag.Rows, VR.US, size);
        ds.putInts(Tag.Columns, VR.US, size);
        ds.putInts(Tag.BitsAllocated, VR.US, 16);
        ds.putInts(Tag.BitsStored, VR.US, 12);
        ds.putInts(Tag.HighBit, VR.US, 11);
        ds.putInts(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[size * size * 2];
        for (int p = 0; p < size * size; p++) {
            int v = ((p % size) * 7 + (p / size) * 3 + index * 11) & 0x0FFF;
            pixels[2 * p] = (byte) v;
            pixels[2 * p + 1] = (byte) (v >>> 8);
        }
        ds.putPixelData(VR.OW, pixels);
        return ds;
    }
}
