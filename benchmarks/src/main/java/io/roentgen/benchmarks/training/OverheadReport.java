package io.roentgen.benchmarks.training;

import io.roentgen.benchmarks.Stats;
import io.roentgen.training.run.EpochRecord;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.DoubleStream;

/**
 * The loop-overhead figures of {@link InterleavedTiming}: per epoch after the first, the loop's
 * step against the raw blocks just before and after it; then the median and interquartile range of
 * each ratio over those epochs.
 *
 * <ul>
 *   <li>step (mean): the training phase (first step's start to the last step's end, so waits for
 *       the loader count) per step, over the raw blocks' mean step;
 *   <li>step (median): the median step interval over the raw blocks' median step (robust to a
 *       stall; says whether the typical step itself costs more);
 *   <li>with checkpoint: the training phase plus the epoch's end less validation (the checkpoint,
 *       metrics files and charts) per step, over the raw mean: what an epoch costs beyond its
 *       steps, validation apart (a forward pass over other images, not step overhead).
 * </ul>
 */
final class OverheadReport {
    private final InterleavedTiming timing;
    private final int batch;

    OverheadReport(InterleavedTiming timing, int batch) {
        this.timing = timing;
        this.batch = batch;
    }

    void print(PrintStream out) {
        List<Double> meanRatios = new ArrayList<>();
        List<Double> medianRatios = new ArrayList<>();
        List<Double> withCheckpoint = new ArrayList<>();
        List<Double> checkpointMs = new ArrayList<>();
        List<Double> validationMs = new ArrayList<>();
        out.println("epoch | loop step mean; median ms | raw step mean; median ms (blocks before+after) | mean ratio | median ratio | "
                + "checkpoint+files ms | validation ms");
        List<InterleavedTiming.Epoch> epochs = timing.epochs();
        for (int i = 1; i < epochs.size(); i++) {
            InterleavedTiming.Epoch epoch = epochs.get(i);
            double[] raw = concat(timing.rawBlocks().get(i), timing.rawBlocks().get(i + 1));
            double rawMean = DoubleStream.of(raw).average().orElseThrow();
            double rawMedian = Stats.median(raw);
            double[] intervals = intervals(epoch);
            double training = seconds(epoch.startNanos(), last(epoch.stepEndNanos()));
            double loopMean = training / intervals.length;
            double validation = validationSeconds(epoch.record(), intervals.length);
            double checkpoint = seconds(last(epoch.stepEndNanos()), epoch.endNanos()) - validation;
            meanRatios.add(loopMean / rawMean);
            medianRatios.add(Stats.median(intervals) / rawMedian);
            withCheckpoint.add((training + checkpoint) / intervals.length / rawMean);
            checkpointMs.add(1e3 * checkpoint);
            validationMs.add(1e3 * validation);
            out.printf(Locale.ROOT, "%5d | %6.2f; %6.2f | %6.2f; %6.2f | %.3f | %.3f | %6.1f | %6.1f%n", i + 1, 1e3 * loopMean,
                    1e3 * Stats.median(intervals), 1e3 * rawMean, 1e3 * rawMedian, loopMean / rawMean,
                    Stats.median(intervals) / rawMedian, 1e3 * checkpoint, 1e3 * validation);
        }
        out.printf(Locale.ROOT, "over epochs 2-%d (%d epochs), median [p25, p75]:%n", epochs.size(), epochs.size() - 1);
        out.println("  loop step / raw step (mean):   " + spread(meanRatios, 3));
        out.println("  loop step / raw step (median): " + spread(medianRatios, 3));
        out.println("  with checkpoint, metrics files and charts: " + spread(withCheckpoint, 3));
        out.println("  checkpoint + files per epoch, ms: " + spread(checkpointMs, 1)
                + "; validation and its metrics per epoch, ms: " + spread(validationMs, 1));
    }

    /** The loop's step intervals: the first from the epoch's start, then from step end to step end. */
    private static double[] intervals(InterleavedTiming.Epoch epoch) {
        long[] ends = epoch.stepEndNanos();
        double[] intervals = new double[ends.length];
        long previous = epoch.startNanos();
        for (int s = 0; s < ends.length; s++) {
            intervals[s] = seconds(previous, ends[s]);
            previous = ends[s];
        }
        return intervals;
    }

    /** The record's seconds less its training phase (images / images per second): validation and its metrics. */
    private double validationSeconds(EpochRecord record, int steps) {
        return record.seconds() - (double) steps * batch / record.imagesPerSecond();
    }

    private static String spread(List<Double> values, int digits) {
        Stats.Spread s = Stats.spread(values);
        String f = "%." + digits + "f";
        return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", s.median(), s.p25(), s.p75());
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static long last(long[] values) {
        return values[values.length - 1];
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }
}
