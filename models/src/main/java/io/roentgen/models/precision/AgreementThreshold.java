package io.roentgen.models.precision;

/**
 * The least agreement with fp32 a reduced precision must show at load to be used: top-1
 * agreement (0..1) and the largest difference of any probability.
 */
public record AgreementThreshold(double minTop1, double maxProbabilityDifference) {

    /** The acceptance bar: 99.5% top-1 agreement, no probability off by more than 0.02. */
    public static final AgreementThreshold DEFAULT = new AgreementThreshold(0.995, 0.02);
}
