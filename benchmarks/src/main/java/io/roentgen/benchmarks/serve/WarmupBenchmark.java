package io.roentgen.benchmarks.serve;

import ai.djl.Device;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.server.batching.BatchSizes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Warm every batch size at load, or pad to a few preferred sizes? For each strategy (no warm-up,
 * warm every size, pad to preferred sizes and warm those) this loads the bundle afresh, times the
 * warm-up, then sends batches of every size from 1 to the max in a shuffled order three times
 * ("sweeps"), as a worker would run them. Sweep 1 shows the stalls of shapes not seen before
 * (PyTorch, TorchScript's profiling executor especially, optimises per shape); sweep 3 is the
 * steady state, whose images/s count only real rows, so padding's wasted rows show there.
 * Strategies alternate within each round. PyTorch keeps some per-shape work (TorchScript's fused
 * kernels) process-wide, so only a strategy's first load in a JVM shows a fresh server's stalls:
 * {@code benchmarks/scripts/server-warmup.sh} runs each strategy in its own JVM.
 *
 * <pre>
 * java -cp ... io.roentgen.benchmarks.serve.WarmupBenchmark BUNDLE_DIR [MAX_BATCH=32] [PREFERRED=1,4,8,16,32] [ROUNDS=3]
 *     [STRATEGIES=none,every,padded]
 * </pre>
 */
public final class WarmupBenchmark {
    private static final int SWEEPS = 3;

    /** One strategy in one round. */
    record Row(String strategy, int round, double loadMs, double warmupMs, double[] sweepMs, double worstStallMs,
            double steadyImagesPerSecond) {
        @Override
        public String toString() {
            return String.format("%-36s %5d %9.0f %10.0f %9.0f %9.0f %9.0f %12.1f %10.1f", strategy, round, loadMs, warmupMs,
                    sweepMs[0], sweepMs[1], sweepMs[2], worstStallMs, steadyImagesPerSecond);
        }
    }

    private final Path bundle;
    private final int maxBatch;
    private final List<Integer> preferred;

    WarmupBenchmark(Path bundle, int maxBatch, List<Integer> preferred) {
        this.bundle = bundle;
        this.maxBatch = maxBatch;
        this.preferred = preferred;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: WarmupBenchmark BUNDLE_DIR [MAX_BATCH=32] [PREFERRED=1,4,8,16,32] [ROUNDS=3]");
            System.exit(2);
        }
        EngineSettings.fromEnvironment().apply();
        int max = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        List<Integer> preferred = Arrays.stream((args.length > 2 ? args[2] : "1,4,8,16,32").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        List<String> strategies = List.of((args.length > 4 ? args[4] : "none,every,padded").split(","));
        WarmupBenchmark bench = new WarmupBenchmark(Path.of(args[0]), max, preferred);
        if (System.getenv("WARMUP_BENCH_NO_HEADER") == null) {
            System.out.printf("# %s, max batch %d, preferred %s, graph optimiser property %s%n", args[0], max, preferred,
                System.getProperty("ai.djl.pytorch.graph_optimizer", "unset"));
            System.out.printf("%-36s %5s %9s %10s %9s %9s %9s %12s %10s%n", "strategy", "round", "load ms", "warmup ms",
                    "sweep1 ms", "sweep2 ms", "sweep3 ms", "worst stall", "steady i/s");
        }
        for (int round = 1; round <= rounds; round++) {
            for (String strategy : strategies) {
                System.out.println(switch (strategy) {
                    case "none" -> bench.measure("no warm-up", BatchSizes.upTo(max), false, round);
                    case "every" -> bench.measure("warm every size", BatchSizes.upTo(max), true, round);
                    case "padded" -> bench.measure("pad to " + preferred, BatchSizes.of(max, preferred), true, round);
                    default -> throw new IllegalArgumentException("strategies are none, every, padded; not " + strategy);
                });
            }
        }
    }

    Row measure(String strategy, BatchSizes sizes, boolean warm, int round) throws Exception {
        long t0 = System.nanoTime();
        try (Classifier classifier = ModelBundle.load(bundle, Device.cpu())) {
            long loaded = System.nanoTime();
            ModelCard card = classifier.card();
            FloatImage image = FloatImage.zeros(card.channels(), card.height(), card.width());
            if (warm) {
                for (int size : sizes.shapesToWarm()) {
                    classifier.predict(Collections.nCopies(size, image));
                }
            }
            long warmed = System.nanoTime();
            List<Integer> order = new ArrayList<>();
            for (int n = 1; n <= maxBatch; n++) {
                order.add(n);
            }
            Collections.shuffle(order, new Random(round));
            double[][] perBatch = new double[SWEEPS][maxBatch + 1];
            double[] sweepMs = new double[SWEEPS];
            for (int sweep = 0; sweep < SWEEPS; sweep++) {
                for (int n : order) {
                    long t = System.nanoTime();
                    classifier.predict(Collections.nCopies(sizes.forwardSize(n), image));
                    perBatch[sweep][n] = (System.nanoTime() - t) / 1e6;
                    sweepMs[sweep] += perBatch[sweep][n];
                }
            }
            double worstStall = 0;
            for (int n = 1; n <= maxBatch; n++) {
                worstStall = Math.max(worstStall, perBatch[0][n] - perBatch[SWEEPS - 1][n]);
            }
            double realImages = maxBatch * (maxBatch + 1) / 2.0;
            String label = System.getProperty("ai.djl.pytorch.graph_optimizer", "true").equals("false")
                    ? strategy + ", optimiser off" : strategy;
            return new Row(label, round, (loaded - t0) / 1e6, (warmed - loaded) / 1e6, sweepMs, worstStall,
                    realImages / (sweepMs[SWEEPS - 1] / 1000));
        }
    }
}
