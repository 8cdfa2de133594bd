package io.roentgen.server.export;

/**
 * Delivers one DICOM Part 10 object to one kind of destination: STOW-RS here, C-STORE where the
 * DIMSE node provides it. Implementations are thread-safe; the outbox calls them from its worker.
 */
public interface ResultSender {

    /** True when this sender speaks to the destination's kind. */
    boolean handles(ResultDestination destination);

    /**
     * Sends the object and returns once the destination has taken it.
     *
     * @param part10 a DICOM Part 10 file
     * @throws SendException when it did not take it; retryable or not
     */
    void send(byte[] part10, String sopInstanceUid, ResultDestination destination) throws SendException, InterruptedException;
}
