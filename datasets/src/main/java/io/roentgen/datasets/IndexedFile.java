package io.roentgen.datasets;

import java.nio.file.Path;

/**
 * What the {@link CollectionIndex} knows about one file, from its header only.
 *
 * @param path the file, absolute
 * @param size bytes, the cache key with {@code modifiedNanos}
 * @param modifiedNanos last-modified time in nanoseconds
 * @param headerRead whether the header parsed (patient and study are known even when the pixel
 *     check below failed)
 * @param patientId (0010,0020), or null
 * @param studyUid (0020,000D), or null
 * @param modality (0008,0060), or null
 * @param rows (0028,0010), 0 when unknown
 * @param columns (0028,0011), 0 when unknown
 * @param frames number of frames, 0 when unknown
 * @param transferSyntaxUid the transfer syntax, or null
 * @param photometric (0028,0004), or null
 * @param error why the file cannot be used for training (not DICOM, no pixel data, unsupported
 *     transfer syntax, truncated pixel data), or null when it can
 */
public record IndexedFile(
        Path path,
        long size,
        long modifiedNanos,
        boolean headerRead,
        String patientId,
        String studyUid,
        String modality,
        int rows,
        int columns,
        int frames,
        String transferSyntaxUid,
        String photometric,
        String error) {

    /** True when the file passed the header and pixel checks: {@code DicomDataset.get} can decode it. */
    public boolean usable() {
        return error == null;
    }
}
