package io.roentgen.dicom.image;

import com.google.gson.Gson;

/**
 * Training-only random changes, as data (saved with the training config). Each part has a
 * probability and a range; all zero is {@link #off()}. Intensity parts assume the pixel
 * pipeline's output range (about [0, 1]) and run before normalisation.
 *
 * @param horizontalFlip probability of a left-right flip
 * @param verticalFlip probability of an up-down flip
 * @param affine probability of one affine warp (rotation, scale, translation) with bilinear sampling
 * @param maxRotationDegrees rotation drawn uniformly from [-max, max] degrees
 * @param maxScale scale drawn uniformly from [1 - max, 1 + max]
 * @param maxTranslation shift drawn uniformly from [-max, max] times the width (x) or height (y)
 * @param fillValue the value where the warp samples outside the image
 * @param intensity probability of the intensity jitter below
 * @param maxBrightness added offset drawn from [-max, max]
 * @param maxContrast factor around the channel mean drawn from [1 - max, 1 + max]
 * @param maxGamma exponent drawn from [1 - max, 1 + max], applied to positive values
 */
public record Augmentation(
        double horizontalFlip,
        double verticalFlip,
        double affine,
        double maxRotationDegrees,
        double maxScale,
        double maxTranslation,
        float fillValue,
        double intensity,
        double maxBrightness,
        double maxContrast,
        double maxGamma) {

    private static final Gson GSON = new Gson();

    public Augmentation {
        requireProbability("horizontalFlip", horizontalFlip);
        requireProbability("verticalFlip", verticalFlip);
        requireProbability("affine", affine);
        requireProbability("intensity", intensity);
        requireRange("maxRotationDegrees", maxRotationDegrees, 180);
        requireRange("maxScale", maxScale, 0.99);
        requireRange("maxTranslation", maxTranslation, 1);
        requireRange("maxBrightness", maxBrightness, Double.MAX_VALUE);
        requireRange("maxContrast", maxContrast, 0.99);
        requireRange("maxGamma", maxGamma, 0.99);
    }

    /** No augmentation: evaluation, or training without it. */
    public static Augmentation off() {
        return new Augmentation(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * A mild default for radiographs: left-right flip half the time, a warp of up to 10 degrees,
     * 10 % scale and 5 % shift half the time, brightness and contrast of 10 % half the time.
     */
    public static Augmentation mild() {
        return new Augmentation(0.5, 0, 0.5, 10, 0.1, 0.05, 0, 0.5, 0.1, 0.1, 0);
    }

    public boolean isOff() {
        return horizontalFlip == 0 && verticalFlip == 0 && affine == 0 && intensity == 0;
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static Augmentation fromJson(String json) {
        return SpecJson.read(GSON, json, Augmentation.class, "augmentation");
    }

    private static void requireProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], not " + value);
        }
    }

    private static void requireRange(String name, double value, double max) {
        if (!(value >= 0 && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [0, " + max + "], not " + value);
        }
    }
}
