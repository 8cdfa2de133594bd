package io.roentgen.datasets;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.NativePixelData;
import io.roentgen.dicom.pixel.PixelDecoders;
import io.roentgen.dicom.ImageDescriptor;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The indexing-time check of one file, without decoding pixels: the header parses (read up to
 * Pixel Data and no further), Pixel Data is there, the image attributes are consistent, the
 * transfer syntax has a decoder and, for uncompressed syntaxes, the file is long enough to hold
 * every frame. What it cannot see (a corrupt compressed stream, damage inside a deflated data set)
 * is left to {@code DicomDataset.get}, which substitutes another sample.
 */
final class DicomFileCheck {
    private static final DicomReader HEADER = DicomReader.builder().stopBeforePixelData(true).build();
    /** Tag, VR, reserved and 32-bit length of an OB/OW element in explicit VR; implicit VR has 8. */
    private static final int EXPLICIT_HEADER = 12;
    private static final int IMPLICIT_HEADER = 8;

    private DicomFileCheck() {}

    static IndexedFile check(Path file, long size, long modifiedNanos) {
        DicomObject dicom;
        try {
            dicom = HEADER.read(file);
        } catch (DicomException e) {
            return failed(file, size, modifiedNanos, "not readable DICOM: " + e.getMessage());
        } catch (IOException e) {
            return failed(file, size, modifiedNanos, "cannot read: " + e.getMessage());
        }
        return new IndexedFile(file, size, modifiedNanos, true,
                blankToNull(dicom.getString(Tag.PatientID)), blankToNull(dicom.getString(Tag.StudyInstanceUID)),
                blankToNull(dicom.getString(Tag.Modality)), dicom.getInt(Tag.Rows, 0), dicom.getInt(Tag.Columns, 0),
                dicom.contains(Tag.Rows) ? Math.max(1, dicom.getInt(Tag.NumberOfFrames, 1)) : 0,
                dicom.transferSyntax().uid(), dicom.getString(Tag.PhotometricInterpretation),
                pixelProblem(dicom, size));
    }

    /** Why the pixels cannot be decoded, or null. */
    private static String pixelProblem(DicomObject dicom, long fileSize) {
        if (!dicom.stoppedBeforePixelData()) {
            return "no Pixel Data " + Tag.toString(Tag.PixelData) + ": not an image";
        }
        TransferSyntax syntax = dicom.transferSyntax();
        if (!PixelDecoders.isSupported(syntax)) {
            return "unsupported transfer syntax " + syntax.uid() + " (" + syntax.name() + ")";
        }
        ImageDescriptor image;
        try {
            image = dicom.imageDescriptor();
        } catch (DicomException e) {
            return "bad image attributes: " + e.getMessage();
        }
        if (syntax.isNative() && !syntax.isDeflated() && dicom.pixelDataPosition() >= 0) {
            long needed = dicom.pixelDataPosition() + (syntax.isExplicitVR() ? EXPLICIT_HEADER : IMPLICIT_HEADER)
                    + NativePixelData.frameLength(image) * image.frames();
            if (needed > fileSize) {
                return "truncated: the pixel data ends at byte " + needed + ", the file has " + fileSize + " bytes";
            }
        }
        return null;
    }

    private static IndexedFile failed(Path file, long size, long modifiedNanos, String reason) {
        return new IndexedFile(file, size, modifiedNanos, false, null, null, null, 0, 0, 0, null, null, reason);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
