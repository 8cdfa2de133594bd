package io.roentgen.benchmarks.training;

import io.roentgen.training.listen.TrainingListener;
import io.roentgen.training.run.TrainingResult;

import java.io.IOException;

/** Passes every event on to one listener and adds up the time it takes per step and per epoch end. */
final class TimedListener implements TrainingListener {
    private final String name;
    private final TrainingListener inner;
    private long stepNanos;
    private long epochEndNanos;

    TimedListener(String name, TrainingListener inner) {
        this.name = name;
        this.inner = inner;
    }

    @Override
    public void onTrainingStart(Start start) throws IOException {
        inner.onTrainingStart(start);
    }

    @Override
    public void onStep(Step step) {
        long t0 = System.nanoTime();
        inner.onStep(step);
        stepNanos += System.nanoTime() - t0;
    }

    @Override
    public void onEpochEnd(EpochEnd end) throws IOException {
        long t0 = System.nanoTime();
        inner.onEpochEnd(end);
        epochEndNanos += System.nanoTime() - t0;
    }

    @Override
    public void onTrainingEnd(TrainingResult result) throws IOException {
        inner.onTrainingEnd(result);
    }

    String name() {
        return name;
    }

    /** Total seconds in {@link #onStep} and in {@link #onEpochEnd}. */
    double stepSeconds() {
        return stepNanos / 1e9;
    }

    double epochEndSeconds() {
        return epochEndNanos / 1e9;
    }
}
