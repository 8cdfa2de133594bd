package io.roentgen.models.explain;

import io.roentgen.models.Scores;

/**
 * One image explained.
 *
 * @param scores the classifier's answer from the explanation's own forward pass
 * @param label  the explained class
 * @param method how the channel weights were computed
 * @param layer  the target layer (torchvision's module path)
 * @param raw    the map at the layer's resolution, unscaled
 * @param map    the map resized to the input ({@code height x width}) and normalised to [0, 1]
 * @param height input rows
 * @param width  input columns
 */
public record Explanation(Scores scores, String label, CamMethod method, String layer, RawCam raw, float[] map,
        int height, int width) {}
