package io.roentgen.dicom;

/**
 * Asked before a read grows one of its buffers (a streamed input or an inflated data set), so a
 * caller that shares memory between many reads, such as a server, can refuse the growth before
 * it is allocated. The default admits everything.
 */
@FunctionalInterface
public interface MemoryGate {
    MemoryGate UNLIMITED = bytes -> { };

    /**
     * @param bytes how many more bytes the read is about to allocate
     * @throws MemoryExhaustedException to refuse them; the read ends with it
     */
    void allocate(long bytes) throws MemoryExhaustedException;
}
