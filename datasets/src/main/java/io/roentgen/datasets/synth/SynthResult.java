package io.roentgen.datasets.synth;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link SyntheticCollection#write} wrote.
 *
 * @param manifest the {@code manifest.csv} (path,label,patient_id,study_uid)
 * @param patients patients written
 * @param studies studies written
 * @param images DICOM files written
 * @param imagesPerClass images per class name, in class order
 */
public record SynthResult(Path manifest, int patients, int studies, int images, Map<String, Integer> imagesPerClass) {
    public SynthResult {
        imagesPerClass = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(imagesPerClass));
    }
}
