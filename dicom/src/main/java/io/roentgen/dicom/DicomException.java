package io.roentgen.dicom;

/**
 * The one checked error for DICOM input that cannot be read: truncated, hostile or unsupported.
 * The message says what is wrong and where (tag and byte offset where known), never patient data.
 */
public class DicomException extends Exception {
    public DicomException(String message) {
        super(message);
    }

    public DicomException(String message, Throwable cause) {
        super(message, cause);
    }
}
