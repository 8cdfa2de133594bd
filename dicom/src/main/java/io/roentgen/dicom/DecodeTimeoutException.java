package io.roentgen.dicom;

/**
 * Decoding was stopped because its deadline passed (see
 * {@link io.roentgen.dicom.codec.DecodeDeadline}). Not a fault of the data: a server
 * answers it as a timeout (504), not as bad input (400).
 */
public final class DecodeTimeoutException extends DicomException {
    public DecodeTimeoutException(String message) {
        super(message);
    }
}
