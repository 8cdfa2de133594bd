package io.roentgen.dicom;

/**
 * A read stopped because its {@link MemoryGate} refused more memory: the input may be fine, there
 * is just no room for it now (a server answers 503, not 400).
 */
public final class MemoryExhaustedException extends DicomException {
    public MemoryExhaustedException(String message) {
        super(message);
    }
}
