package io.roentgen.models;

import java.util.List;

/**
 * The identity of a loaded model, from its bundle's {@code model.json}.
 *
 * @param name       model name (the repository folder name when served)
 * @param version    version string (the repository version folder when served), or "1"
 * @param format     "roentgen" (DJL parameters + architecture) or "torchscript"
 * @param labels     class names in output order
 * @param multiLabel sigmoid per label (true) or softmax over labels (false)
 * @param channels   input channels
 * @param height     input height
 * @param width      input width
 * @param thresholds decision threshold per label (Youden threshold from validation, else 0.5)
 */
public record ModelCard(String name, String version, String format, List<String> labels, boolean multiLabel,
        int channels, int height, int width, float[] thresholds) {}
