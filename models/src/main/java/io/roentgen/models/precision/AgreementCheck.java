package io.roentgen.models.precision;

import ai.djl.Device;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.Precision;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Puts a loaded fp32 classifier into the chosen precision, once it has shown on a fixed batch
 * that it agrees with fp32 there. A precision that disagrees is refused with a one-line error
 * naming both measures, rather than served.
 */
public final class AgreementCheck {
    /** Images in the fixed batch: enough to see a flipped label, small enough for every load. */
    static final int BATCH = 8;
    private static final long SEED = 22;

    private AgreementCheck() {
    }

    /**
     * {@code classifier} computing in {@code choice}'s precision: itself for fp32, else a
     * reduced-precision view of it that passed the check.
     *
     * @throws RoentgenException when the reduced precision does not agree with fp32 within {@code limits}
     */
    public static Classifier apply(Classifier classifier, Device device, PrecisionChoice choice,
            AgreementThreshold limits) throws RoentgenException {
        if (!choice.precision().isReduced()) {
            return classifier;
        }
        Classifier reduced = new ReducedPrecisionClassifier(classifier, device, choice.precision());
        List<FloatImage> batch = fixedBatch(classifier.card());
        Agreement agreement = Agreement.of(classifier.predict(batch), reduced.predict(batch));
        if (!agreement.within(limits)) {
            throw refusal(classifier.card(), choice.precision(), agreement, limits);
        }
        return reduced;
    }

    /** {@link #apply} with {@link AgreementThreshold#DEFAULT}. */
    public static Classifier apply(Classifier classifier, Device device, PrecisionChoice choice) throws RoentgenException {
        return apply(classifier, device, choice, AgreementThreshold.DEFAULT);
    }

    private static RoentgenException refusal(ModelCard card, Precision precision, Agreement agreement,
            AgreementThreshold limits) {
        return new RoentgenException(String.format(java.util.Locale.ROOT,
                "model '%s': %s refused: %s against fp32 (needs >= %.1f%% and <= %.4f); use --precision fp32",
                card.name(), precision.flagName(), agreement.describe(), 100 * limits.minTop1(),
                limits.maxProbabilityDifference()));
    }

    /** Seeded images of the card's shape, the same on every load (pixels N(0, 1), as normalised inputs are). */
    static List<FloatImage> fixedBatch(ModelCard card) {
        Random random = new Random(SEED);
        List<FloatImage> images = new ArrayList<>(BATCH);
        int size = card.channels() * card.height() * card.width();
        for (int i = 0; i < BATCH; i++) {
            float[] pixels = new float[size];
            for (int p = 0; p < size; p++) {
                pixels[p] = (float) random.nextGaussian();
            }
            images.add(new FloatImage(pixels, card.channels(), card.height(), card.width()));
        }
        return images;
    }
}
