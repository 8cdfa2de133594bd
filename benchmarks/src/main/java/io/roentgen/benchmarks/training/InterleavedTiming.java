package io.roentgen.benchmarks.training;

import io.roentgen.training.listen.TrainingListener;
import io.roentgen.training.run.EpochRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Alternates raw-step blocks with the loop's epochs in the training thread: a block before the
 * first epoch and one after each (run from the listener, so the loop waits and nothing of its own
 * overlaps, the next epoch's loader not having started), and times every step of the loop. Each
 * epoch then has a raw block just before and just after it, under the same machine load, which is
 * what lets the ratio resolve a few percent on a shared machine where a reference timed once
 * before or after the run moved by 30%.
 *
 * <p>Register it last: its epoch-end time then includes the other listeners' epoch-end work
 * (metrics files, charts), which a user's run does too.
 */
final class InterleavedTiming implements TrainingListener {
    private static final int WARMUP_STEPS = 10;

    /** One epoch of the loop: when it started (after the raw block before it), each step's end, and its end. */
    record Epoch(long startNanos, long[] stepEndNanos, long endNanos, EpochRecord record) {
    }

    private final RawStepBlocks raw;
    private final List<double[]> rawBlocks = new ArrayList<>();
    private final List<Epoch> epochs = new ArrayList<>();
    private long[] stepEnds = new long[0];
    private int steps;
    private long epochStart;

    InterleavedTiming(RawStepBlocks raw) {
        this.raw = raw;
    }

    @Override
    public void onTrainingStart(Start start) {
        stepEnds = new long[start.stepsPerEpoch()];
        raw.run(WARMUP_STEPS);
        rawBlock();
    }

    @Override
    public void onStep(Step step) {
        stepEnds[steps++] = System.nanoTime();
    }

    @Override
    public void onEpochEnd(EpochEnd end) {
        epochs.add(new Epoch(epochStart, java.util.Arrays.copyOf(stepEnds, steps), System.nanoTime(), end.record()));
        steps = 0;
        rawBlock();
    }

    private void rawBlock() {
        rawBlocks.add(raw.run(stepEnds.length));
        epochStart = System.nanoTime();
    }

    /** Raw block {@code i} ran before epoch {@code i} (0-based) and after epoch {@code i - 1}. */
    List<double[]> rawBlocks() {
        return rawBlocks;
    }

    List<Epoch> epochs() {
        return epochs;
    }
}
