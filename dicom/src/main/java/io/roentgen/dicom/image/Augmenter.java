package io.roentgen.dicom.image;

import java.util.SplittableRandom;

/**
 * Applies an {@link Augmentation} reproducibly: the random draws for a sample come from a
 * {@link SplittableRandom} seeded with a SplitMix64 mix of {@code (seed, epoch, sampleIndex)}, so
 * the same triple gives the same tensor whatever thread or order the loader uses. Every call draws
 * the same numbers in the same order, whether or not a part is enabled, so switching one part on
 * does not change what the others draw. Order: flips, affine warp, intensity jitter.
 */
public final class Augmenter {
    /** Passes images through unchanged. */
    public static final Augmenter OFF = new Augmenter(Augmentation.off());

    private final Augmentation augmentation;

    public Augmenter(Augmentation augmentation) {
        this.augmentation = augmentation;
    }

    public Augmentation augmentation() {
        return augmentation;
    }

    /** The augmented image; the input itself when augmentation is off or nothing was drawn. */
    public FloatImage apply(FloatImage image, long seed, int epoch, long sampleIndex) {
        if (augmentation.isOff()) {
            return image;
        }
        SplittableRandom random = new SplittableRandom(mix(mix(mix(seed) ^ epoch) ^ sampleIndex));
        Draw draw = Draw.from(random, augmentation);
        FloatImage out = Flips.apply(image, draw.flipHorizontal, draw.flipVertical);
        if (draw.warp) {
            out = AffineWarp.apply(out, draw.rotationRadians, draw.scale, draw.shiftX * out.width(),
                    draw.shiftY * out.height(), augmentation.fillValue());
        }
        if (draw.jitter) {
            out = IntensityJitter.apply(out, draw.brightness, draw.contrast, draw.gamma);
        }
        return out;
    }

    /** The SplitMix64 finaliser (Steele et al. 2014): a bijective 64-bit mix. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The random choices for one sample, always drawn in this order. */
    private static final class Draw {
        boolean flipHorizontal;
        boolean flipVertical;
        boolean warp;
        double rotationRadians;
        double scale;
        double shiftX;
        double shiftY;
        boolean jitter;
        float brightness;
        float contrast;
        float gamma;

        static Draw from(SplittableRandom random, Augmentation a) {
            Draw draw = new Draw();
            draw.flipHorizontal = random.nextDouble() < a.horizontalFlip();
            draw.flipVertical = random.nextDouble() < a.verticalFlip();
            draw.warp = random.nextDouble() < a.affine();
            draw.rotationRadians = Math.toRadians(symmetric(random, a.maxRotationDegrees()));
            draw.scale = 1 + symmetric(random, a.maxScale());
            draw.shiftX = symmetric(random, a.maxTranslation());
            draw.shiftY = symmetric(random, a.maxTranslation());
            draw.jitter = random.nextDouble() < a.intensity();
            draw.brightness = (float) symmetric(random, a.maxBrightness());
            draw.contrast = (float) (1 + symmetric(random, a.maxContrast()));
            draw.gamma = (float) (1 + symmetric(random, a.maxGamma()));
            return draw;
        }

        private static double symmetric(SplittableRandom random, double max) {
            double unit = random.nextDouble() * 2 - 1;
            return unit * max;
        }
    }
}
