package io.roentgen.datasets.synth;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The hard task ({@code roentgen synth --difficulty hard}): a finding that no global statistic of
 * the image reveals. Over the chest anatomy of {@link Phantom}, both classes get the same
 * textured lung parenchyma (many small soft blobs of either sign) and the same noise; a positive
 * image gets one small Gaussian lesion ({@link #lesionSigma} of 1.5 % of the width, peak
 * {@code contrast} HU) at a random position inside a lung, and a normal image gets the same
 * integral of intensity spread as a broad, flat bump over a lung instead. Mean brightness,
 * contrast (standard deviation) and noise therefore match between the classes; only a detector
 * of small, round, local excess finds the lesion, among texture blobs of similar size.
 *
 * <p>{@link #lesionTemplate} is what the oracle matched filter ({@code HardTaskOracleTest})
 * correlates with the image minus its anatomy to measure the achievable AUROC.
 */
public final class HardPhantom {
    /**
     * The default lesion peak over the parenchyma, HU: where the README's commands ({@code small},
     * 32 px, 500 patients, 12 epochs) reach a test AUROC of about 0.92 (0.88 at 800 HU, 0.95 at
     * 1000), below the oracle's 1.000 and well above a broken recipe. Keep {@code synth --contrast}'s
     * default equal.
     */
    public static final float DEFAULT_CONTRAST = 900;
    private static final double LESION_SIGMA = 0.015;
    private static final double TEXTURE_SIGMA_MIN = 0.010;
    private static final double TEXTURE_SIGMA_MAX = 0.025;
    private static final double TEXTURE_CONTRAST = 60;
    private static final int TEXTURE_BLOBS_PER_LUNG = 14;
    private static final double NOISE_SD = 20;

    /** One image: the pixels, the anatomy alone (what the oracle is told) and the lesion (none for a normal image). */
    public record Image(float[] hu, float[] anatomy, List<Lesion> lesions) {
    }

    private HardPhantom() {
    }

    /** The lesion's standard deviation in pixels at this image size. */
    public static double lesionSigma(int size) {
        return Math.max(0.8, LESION_SIGMA * size);
    }

    /** The lesion shape, a unit-peak Gaussian in a (2r+1)^2 window, r = ceil(3 sigma), row-major. */
    public static float[] lesionTemplate(int size) {
        double sigma = lesionSigma(size);
        int r = (int) Math.ceil(3 * sigma);
        int width = 2 * r + 1;
        float[] template = new float[width * width];
        for (int y = -r; y <= r; y++) {
            for (int x = -r; x <= r; x++) {
                template[(y + r) * width + x + r] = (float) Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
            }
        }
        return template;
    }

    /** Paints one image; {@code lesion} decides the class. */
    public static Image paint(int size, SplittableRandom random, boolean lesion, float contrast) {
        Phantom phantom = new Phantom(size, random);
        phantom.anatomy();
        float[] anatomy = phantom.pixels().clone();
        for (int side = 0; side < 2; side++) {
            for (int i = 0; i < TEXTURE_BLOBS_PER_LUNG; i++) {
                double[] at = phantom.insideLung(side, 0.9);
                double sigma = size * uniform(random, TEXTURE_SIGMA_MIN, TEXTURE_SIGMA_MAX);
                double sign = random.nextBoolean() ? 1 : -1;
                phantom.gaussian(at[0], at[1], sigma, sign * TEXTURE_CONTRAST * uniform(random, 0.5, 1.0));
            }
        }
        double sigma = lesionSigma(size);
        double[] at = phantom.insideLung(random.nextInt(2), 0.7);
        List<Lesion> lesions = List.of();
        if (lesion) {
            phantom.gaussian(at[0], at[1], sigma, contrast);
            lesions = List.of(new Lesion(at[0], at[1], 2 * sigma)); // 2 sigma: where it stands above the texture
        } else {
            // The same integral (2 pi sigma^2 contrast) spread over a bump 5x as wide: 1/25 of the peak.
            phantom.gaussian(at[0], at[1], 5 * sigma, contrast / 25.0);
        }
        phantom.noise(NOISE_SD);
        return new Image(phantom.pixels(), anatomy, lesions);
    }

    private static double uniform(SplittableRandom random, double from, double to) {
        return from + (to - from) * random.nextDouble();
    }
}
