package io.roentgen.models.precision;

import io.roentgen.models.Scores;
import java.util.List;
import java.util.Locale;

/**
 * How closely reduced-precision scores follow fp32 ones on the same images: the share of
 * images whose top label is the same, and the largest difference of any probability.
 */
public record Agreement(int images, double top1, double maxProbabilityDifference) {

    /** Compares two score lists of the same images, in the same order. */
    public static Agreement of(List<Scores> reference, List<Scores> other) {
        if (reference.size() != other.size() || reference.isEmpty()) {
            throw new IllegalArgumentException("need two non-empty score lists of the same length, got "
                    + reference.size() + " and " + other.size());
        }
        int same = 0;
        double maxDelta = 0;
        for (int i = 0; i < reference.size(); i++) {
            float[] a = reference.get(i).probabilities();
            float[] b = other.get(i).probabilities();
            same += argmax(a) == argmax(b) ? 1 : 0;
            for (int k = 0; k < a.length; k++) {
                maxDelta = Math.max(maxDelta, Math.abs(a[k] - b[k]));
            }
        }
        return new Agreement(reference.size(), (double) same / reference.size(), maxDelta);
    }

    /** Whether both measures are within the limits. */
    public boolean within(AgreementThreshold limits) {
        return top1 >= limits.minTop1() && maxProbabilityDifference <= limits.maxProbabilityDifference();
    }

    /** "top-1 agreement 100.0% on 8 images, max |dp| 0.0031". */
    public String describe() {
        return String.format(Locale.ROOT, "top-1 agreement %.1f%% on %d images, max |dp| %.4f",
                100 * top1, images, maxProbabilityDifference);
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
