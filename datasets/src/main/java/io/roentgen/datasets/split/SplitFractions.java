package io.roentgen.datasets.split;

/** Shares of patients for validation and test; the rest is training. */
public record SplitFractions(double validation, double test) {
    public SplitFractions {
        if (!(validation >= 0 && test >= 0 && validation + test < 1)) {
            throw new IllegalArgumentException(
                    "validation and test fractions must be >= 0 with a sum below 1, not " + validation + " and " + test);
        }
    }

    /** 15 % validation, 15 % test. */
    public static SplitFractions defaults() {
        return new SplitFractions(0.15, 0.15);
    }
}
