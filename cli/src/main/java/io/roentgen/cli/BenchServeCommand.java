package io.roentgen.cli;

import io.roentgen.benchmarks.Stats;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * {@code roentgen bench serve}: a closed-loop HTTP load generator against a running server. Each
 * of C clients sends a DICOM instance to {@code /v1/models/M/classify}, waits for the answer and
 * sends the next, for the warm-up (not counted) and then the measured duration. It speaks plain
 * HTTP/1.1 unless told {@code --http2}: Java's client otherwise asks every server for an h2c
 * upgrade, which servers such as uvicorn answer with 400, so it could not load them.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Load a running Roentgen server with DICOM classify requests: throughput, latency percentiles, errors by status.",
        footer = {"", "Examples:", "  roentgen bench serve --url http://127.0.0.1:8080 --model demo --dicom demo/patient-0001",
            "  roentgen bench serve --url http://127.0.0.1:8080 --model cxr --dicom /data/cxr --concurrency 1,8,32 --duration 30s --warmup 5s --json",
            "  roentgen bench serve --url http://127.0.0.1:8080 --model demo --dicom demo --concurrency 1,2,4,8,16 --plot serve.png",
            "  roentgen bench serve --url http://127.0.0.1:8000 --model cxr --dicom scan.dcm   (any server with POST /v1/models/M/classify)"})
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

    @Option(names = "--duration", defaultValue = "10s", description = "Measured time per client count and repetition, e.g. 30s, 2m (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "5s", description = "Unmeasured time before the repetitions of each client count (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token for a server started with --auth-token-file.")
    Path tokenFile;

    @Option(names = "--repetitions", defaultValue = "3",
            description = "Measured runs of --duration per client count, after one warm-up; medians and spread over them (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--http2", description = "Ask the server for HTTP/2 (an h2c upgrade on plain http://); default: HTTP/1.1.")
    boolean http2;

    @Mixin
    BenchOutput output;

    /** One client count's figures over the repetitions; a latency is null when no request succeeded. */
    record Row(int clients, long requests, Stats.Spread imagesPerSecond, Stats.Spread p50Ms, Stats.Spread p90Ms,
            Stats.Spread p99Ms, Stats.Spread maxMs, Map<Integer, Integer> errors) {}

    @Override
    public Integer call() throws Exception {
        Duration measured = parseDuration(duration, "--duration");
        Duration warm = parseDuration(warmup, "--warmup");
        if (concurrency.stream().anyMatch(c -> c < 1 || c > 1024)) {
            throw RoentgenException.usage("--concurrency values must be 1 to 1024");
        }
        BenchOutput.checkRepetitions(repetitions);
        output.checkPlot();
        List<byte[]> bodies = load(DicomInputs.expand(dicom));
        URI target = URI.create(url.replaceAll("/+$", "") + "/v1/models/" + model + "/classify");
        String token = tokenFile == null ? null : Files.readString(tokenFile).strip();
        HttpClient.Version http = http2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
        List<Row> rows = new ArrayList<>();
        for (int clients : concurrency) {
            run(http, target, token, bodies, clients, warm);
            List<Run> runs = new ArrayList<>();
            for (int r = 0; r < repetitions; r++) {
                runs.add(run(http, target, token, bodies, clients, measured));
            }
            rows.add(row(clients, runs, measured));
        }
        print(rows, measured, warm);
        if (output.wantsPlot()) {
            Map<String, Function<Row, Stats.Spread>> latencies = new LinkedHashMap<>();
            latencies.put("p50", Row::p50Ms);
            latencies.put("p99", Row::p99Ms);
            output.writePlot(BenchPlots.throughputAndLatency("bench serve " + model, "concurrent clients", rows,
                    Row::clients, "images/s", Row::imagesPerSecond, "latency per request", latencies));
        }
        return rows.stream().allMatch(r -> r.errors().isEmpty()) ? 0 : ErrorHandler.RUNTIME_ERROR;
    }

    /** Results of one closed-loop run. */
    private record Run(double[] latenciesMs, Map<Integer, Integer> errors) {}

    private static Row row(int clients, List<Run> runs, Duration measured) {
        double seconds = measured.toMillis() / 1000.0;
        long requests = 0;
        double[] throughput = new double[runs.size()];
        List<List<Double>> latencies = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Map<Integer, Integer> errors = new TreeMap<>();
        for (int i = 0; i < runs.size(); i++) {
            double[] ms = runs.get(i).latenciesMs();
            requests += ms.length;
            throughput[i] = ms.length / seconds;
            if (ms.length > 0) { // no successful request leaves no latency for this run
                latencies.get(0).add(Stats.percentile(ms, 0.50));
                latencies.get(1).add(Stats.percentile(ms, 0.90));
                latencies.get(2).add(Stats.percentile(ms, 0.99));
                latencies.get(3).add(Stats.percentile(ms, 1.0));
            }
            runs.get(i).errors().forEach((status, n) -> errors.merge(status, n, Integer::sum));
        }
        return new Row(clients, requests, Stats.spread(throughput), spreadOrNull(latencies.get(0)),
                spreadOrNull(latencies.get(1)), spreadOrNull(latencies.get(2)), spreadOrNull(latencies.get(3)), errors);
    }

    private static Stats.Spread spreadOrNull(List<Double> values) {
        return values.isEmpty() ? null : Stats.spread(values);
    }

    private static Run run(HttpClient.Version http, URI target, String token, List<byte[]> bodies, int clients,
            Duration length) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(http).connectTimeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + length.toNanos();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Run>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> client(client, target, token, bodies, next, deadline)));
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

    private void print(List<Row> rows, Duration measured, Duration warm) {
        if (output.json) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("url", url);
            settings.put("model", model);
            settings.put("http", http2 ? "HTTP/2" : "HTTP/1.1");
            settings.put("instances", dicom.toString());
            settings.put("secondsPerRepetition", measured.toMillis() / 1000.0);
            settings.put("warmUpSeconds", warm.toMillis() / 1000.0);
            System.out.println(Json.of(BenchOutput.report("serve", settings, repetitions, rows)));
            return;
        }
        System.out.printf("%d repetition%s of %s per client count; median (min-max) over repetitions%n", repetitions,
                repetitions == 1 ? "" : "s", duration);
        System.out.printf("%-8s %9s %-24s %-22s %-22s %-22s %-22s %s%n", "clients", "requests", "images/s", "p50 ms",
                "p90 ms", "p99 ms", "max ms", "errors");
        for (Row r : rows) {
            System.out.printf("%-8d %9d %-24s %-22s %-22s %-22s %-22s %s%n", r.clients(), r.requests(),
                    BenchOutput.spread(r.imagesPerSecond(), 1), BenchOutput.spread(r.p50Ms(), 1),
                    BenchOutput.spread(r.p90Ms(), 1), BenchOutput.spread(r.p99Ms(), 1), BenchOutput.spread(r.maxMs(), 1),
                    r.errors());
        }
    }
}
