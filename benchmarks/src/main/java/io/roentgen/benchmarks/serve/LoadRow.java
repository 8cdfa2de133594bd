package io.roentgen.benchmarks.serve;

import io.roentgen.benchmarks.Stats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One client count's figures over the repetitions of {@link HttpLoad}: requests answered 200,
 * images/s and latency percentiles as spreads over the runs, the other answers by status. A
 * latency is null when no request of any run succeeded. {@code transportErrors} counts the
 * requests with no HTTP answer (status 0) by cause.
 */
public record LoadRow(int clients, long requests, Stats.Spread imagesPerSecond, Stats.Spread p50Ms,
        Stats.Spread p90Ms, Stats.Spread p99Ms, Stats.Spread maxMs, Map<Integer, Integer> errors,
        Map<String, Integer> transportErrors) {

    private static final double[] PERCENTILES = {0.50, 0.90, 0.99, 1.0};

    public static LoadRow of(int clients, List<HttpLoad.Run> runs, Duration measured) {
        double seconds = measured.toMillis() / 1000.0;
        long requests = 0;
        double[] throughput = new double[runs.size()];
        List<List<Double>> latencies = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Map<Integer, Integer> errors = new TreeMap<>();
        Map<String, Integer> causes = new TreeMap<>();
        for (int i = 0; i < runs.size(); i++) {
            double[] ms = runs.get(i).latenciesMs();
            requests += ms.length;
            throughput[i] = ms.length / seconds;
            if (ms.length > 0) { // a run without a successful request has no latency
                for (int p = 0; p < PERCENTILES.length; p++) {
                    latencies.get(p).add(Stats.percentile(ms, PERCENTILES[p]));
                }
            }
            runs.get(i).errors().forEach((status, n) -> errors.merge(status, n, Integer::sum));
            runs.get(i).transportErrors().forEach((cause, n) -> causes.merge(cause, n, Integer::sum));
        }
        return new LoadRow(clients, requests, Stats.spread(throughput), spreadOrNull(latencies.get(0)),
                spreadOrNull(latencies.get(1)), spreadOrNull(latencies.get(2)), spreadOrNull(latencies.get(3)), errors,
                causes);
    }

    private static Stats.Spread spreadOrNull(List<Double> values) {
        return values.isEmpty() ? null : Stats.spread(values);
    }
}
