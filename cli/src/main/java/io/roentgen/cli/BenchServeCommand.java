package io.roentgen.cli;

import io.roentgen.engine.RoentgenException;
import io.roentgen.models.scoring.DicomInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code roentgen bench serve}: a closed-loop HTTP load generator against a running server. Each
 * of C clients sends a DICOM instance to {@code /v1/models/M/classify}, waits for the answer and
 * sends the next, for the warm-up (not counted) and then the measured duration.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Load a running Roentgen server with DICOM classify requests: throughput, latency percentiles, errors by status.",
        footer = {"", "Examples:", "  roentgen bench serve --url http://127.0.0.1:8080 --model demo --dicom demo/patient-0001",
            "  roentgen bench serve --url http://127.0.0.1:8080 --model cxr --dicom /data/cxr --concurrency 1,8,32 --duration 30s --warmup 5s --json"})
final class BenchServeCommand implements java.util.concurrent.Callable<Integer> {
    private static final long MAX_BODY_BYTES = 512L << 20;

    @Mixin
    CommonOptions common;

    @Option(names = "--url", required = true, description = "Server base URL, e.g. http://127.0.0.1:8080.")
    String url;

    @Option(names = "--model", required = true, description = "Model name in the server's repository.")
    String model;

    @Option(names = "--dicom", required = true, paramLabel = "DIR|FILE", description = "DICOM files to send, round robin.")
    List<Path> dicom;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,8,32", description = "Client counts (default ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--duration", defaultValue = "30s", description = "Measured time per client count, e.g. 30s, 2m (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "5s", description = "Unmeasured time before each measurement (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token for a server started with --auth-token-file.")
    Path tokenFile;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Duration measured = parseDuration(duration, "--duration");
        Duration warm = parseDuration(warmup, "--warmup");
        if (concurrency.stream().anyMatch(c -> c < 1 || c > 1024)) {
            throw RoentgenException.usage("--concurrency values must be 1 to 1024");
        }
        List<byte[]> bodies = load(DicomInputs.expand(dicom));
        URI target = URI.create(url.replaceAll("/+$", "") + "/v1/models/" + model + "/classify");
        String token = tokenFile == null ? null : Files.readString(tokenFile).strip();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int clients : concurrency) {
            run(target, token, bodies, clients, warm);
            rows.add(run(target, token, bodies, clients, measured).toMap(clients, measured));
        }
        print(rows);
        return rows.stream().allMatch(r -> ((Map<?, ?>) r.get("errors")).isEmpty()) ? 0 : ErrorHandler.RUNTIME_ERROR;
    }

    /** Results of one closed-loop run. */
    private record Run(double[] latenciesMs, Map<Integer, Integer> errors) {
        Map<String, Object> toMap(int clients, Duration measured) {
            double[] ms = latenciesMs.clone();
            Arrays.sort(ms);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clients", clients);
            m.put("requests", ms.length);
            m.put("imagesPerSecond", ms.length / (measured.toMillis() / 1000.0));
            // No successful request leaves no latency: null in JSON, "-" in the table.
            m.put("p50Ms", percentile(ms, 0.50));
            m.put("p90Ms", percentile(ms, 0.90));
            m.put("p99Ms", percentile(ms, 0.99));
            m.put("maxMs", ms.length == 0 ? null : ms[ms.length - 1]);
            m.put("errors", errors);
            return m;
        }
    }

    private static Run run(URI target, String token, List<byte[]> bodies, int clients, Duration length)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + length.toNanos();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Run>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> client(http, target, token, bodies, next, deadline)));
        }
        List<Double> all = new ArrayList<>();
        Map<Integer, Integer> errors = new TreeMap<>();
        try {
            for (Future<Run> f : futures) {
                Run r = f.get();
                for (double v : r.latenciesMs()) {
                    all.add(v);
                }
                r.errors().forEach((status, n) -> errors.merge(status, n, Integer::sum));
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("load client failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Run(all.stream().mapToDouble(Double::doubleValue).toArray(), errors);
    }

    /** One client: send, wait, repeat until the deadline. Status 0 counts transport errors. */
    private static Run client(HttpClient http, URI target, String token, List<byte[]> bodies, AtomicInteger next,
            long deadline) {
        List<Double> latencies = new ArrayList<>();
        Map<Integer, Integer> errors = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            byte[] body = bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()));
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/dicom").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            long t0 = System.nanoTime();
            int status;
            try {
                status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (status == 200) {
                latencies.add((System.nanoTime() - t0) / 1e6);
            } else {
                errors.merge(status, 1, Integer::sum);
            }
        }
        return new Run(latencies.stream().mapToDouble(Double::doubleValue).toArray(), errors);
    }

    private static List<byte[]> load(List<Path> files) throws RoentgenException {
        List<byte[]> bodies = new ArrayList<>();
        long total = 0;
        for (Path f : files) {
            try {
                long size = Files.size(f);
                if (total + size > MAX_BODY_BYTES) {
                    break; // enough variety; keeps the generator's memory bounded
                }
                bodies.add(Files.readAllBytes(f));
                total += size;
            } catch (IOException e) {
                throw new RoentgenException(f + ": cannot read: " + e.getMessage());
            }
        }
        if (bodies.isEmpty()) {
            throw new RoentgenException("no DICOM files in " + files);
        }
        return bodies;
    }

    static Duration parseDuration(String text, String option) throws RoentgenException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
        } catch (NumberFormatException e) {
            // fall through to the usage error
        }
        throw RoentgenException.usage(option + " must look like 500ms, 30s or 2m, not '" + text + "'");
    }

    private static Double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return null;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)];
    }

    private static String ms(Object value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.1f", (Double) value);
    }

    private void print(List<Map<String, Object>> rows) {
        if (json) {
            System.out.println(Json.of(rows));
            return;
        }
        System.out.printf("%-8s %10s %12s %9s %9s %9s %9s  %s%n", "clients", "requests", "images/s", "p50 ms", "p90 ms",
                "p99 ms", "max ms", "errors");
        for (Map<String, Object> r : rows) {
            System.out.printf(Locale.ROOT, "%-8d %10d %12.1f %9s %9s %9s %9s  %s%n", r.get("clients"),
                    r.get("requests"), r.get("imagesPerSecond"), ms(r.get("p50Ms")), ms(r.get("p90Ms")),
                    ms(r.get("p99Ms")), ms(r.get("maxMs")), r.get("errors"));
        }
    }
}
