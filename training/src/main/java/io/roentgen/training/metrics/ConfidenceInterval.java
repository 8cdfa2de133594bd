package io.roentgen.training.metrics;

/** A two-sided interval and how many bootstrap resamples it rests on. */
public record ConfidenceInterval(double lower, double upper, int resamples) {
}
