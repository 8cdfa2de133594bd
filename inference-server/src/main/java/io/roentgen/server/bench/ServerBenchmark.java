package io.roentgen.server.bench;

import ai.djl.Device;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.Classifier;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.repository.ModelRepository;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The server benchmark harness: throughput and latency of {@code POST /v1/models/{m}/classify}
 * over loopback HTTP at several client counts, with batching on and off, next to the in-process
 * batched predictor (one thread calling {@code Classifier.predict} on full batches of the same
 * preprocessed images) as the reference.
 *
 * <pre>
 * java -cp ... io.roentgen.server.bench.ServerBenchmark MODEL_REPOSITORY MODEL DICOM_FILE [SECONDS=10] [MAX_BATCH=32]
 *     [CLIENTS=1,8,32] [SETUPS=inprocess,batching,nobatching] [PREFERRED=none|1,4,8,16,32]
 * </pre>
 *
 * <p>SETUPS run in the order given and may repeat (e.g. {@code batching,inprocess,batching,inprocess}
 * for interleaved A/B rounds); PREFERRED pads the batching setup's batches.
 */
public final class ServerBenchmark {

    /** One measured configuration. */
    public record Row(String setup, int clients, double imagesPerSecond, double p50Millis, double p99Millis, long errors) {
        @Override
        public String toString() {
            return String.format("%-26s %7d %12.1f %9.2f %9.2f %7d", setup, clients, imagesPerSecond, p50Millis, p99Millis, errors);
        }
    }

    private final ModelFormats formats;
    private final Path repository;
    private final String model;
    private final byte[] dicom;
    private final double seconds;
    private final int maxBatch;
    private List<Integer> preferred = List.of();

    public ServerBenchmark(ModelFormats formats, Path repository, String model, byte[] dicom, double seconds, int maxBatch) {
        this.formats = formats;
        this.repository = repository;
        this.model = model;
        this.dicom = dicom;
        this.seconds = seconds;
        this.maxBatch = maxBatch;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ServerBenchmark MODEL_REPOSITORY MODEL DICOM_FILE [SECONDS=10] [MAX_BATCH=32]");
            System.exit(2);
        }
        EngineSettings.fromEnvironment().apply();
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 10;
        int maxBatch = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        int[] clients = Arrays.stream((args.length > 5 ? args[5] : "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        List<String> setups = List.of((args.length > 6 ? args[6] : "inprocess,batching,nobatching").split(","));
        ServerBenchmark bench = new ServerBenchmark(ModelFormats.standard(), Path.of(args[0]), args[1],
                Files.readAllBytes(Path.of(args[2])), seconds, maxBatch);
        if (args.length > 7 && !args[7].equals("none")) {
            bench.preferred = Arrays.stream(args[7].split(",")).map(Integer::valueOf).toList();
        }
        System.out.printf("%-26s %7s %12s %9s %9s %7s%n", "setup", "clients", "images/s", "p50 ms", "p99 ms", "errors");
        for (String setup : setups) {
            for (Row row : bench.run(setup, clients)) {
                System.out.println(row);
            }
        }
    }

    /** Every row: the in-process reference, then the server with batching on and off per client count. */
    public List<Row> run(int[] clientCounts) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String setup : List.of("inprocess", "batching", "nobatching")) {
            rows.addAll(run(setup, clientCounts));
        }
        return rows;
    }

    /** One setup's rows: {@code inprocess}, {@code batching} or {@code nobatching}. */
    public List<Row> run(String setup, int[] clientCounts) throws Exception {
        if (setup.equals("inprocess")) {
            return List.of(inProcess());
        }
        if (!setup.equals("batching") && !setup.equals("nobatching")) {
            throw new IllegalArgumentException("setup is inprocess, batching or nobatching, not " + setup);
        }
        boolean batching = setup.equals("batching");
        ServerConfig config = ServerConfig.defaults(repository).withPort(0).withPreferredBatchSizes(preferred)
                .withBatching(batching ? maxBatch : 1, batching ? 5 : 0).withQueue(4096, 60_000);
        List<Row> rows = new ArrayList<>();
        InferenceServer server = new InferenceServer(config, formats).start();
        try {
            String name = batching ? "server, batch " + maxBatch + (preferred.isEmpty() ? "" : " padded") : "server, no batching";
            measureHttp(server.port(), Math.max(1, clientCounts[clientCounts.length - 1]), seconds / 4); // warm-up
            for (int clients : clientCounts) {
                rows.add(measureHttp(server.port(), clients, seconds).named(name));
            }
        } finally {
            server.stop();
        }
        return rows;
    }

    /** One thread, full batches of the preprocessed image, straight into the classifier. */
    private Row inProcess() throws Exception {
        Path versionDir = latestVersion();
        try (Classifier classifier = formats.load(versionDir, Device.cpu())) {
            FloatImage image = Preprocessing.of(classifier.preprocessing()).apply(DicomReader.defaults().read(dicom), 0);
            List<FloatImage> batch = Collections.nCopies(maxBatch, image);
            long warmUntil = System.nanoTime() + (long) (seconds / 4 * 1e9);
            while (System.nanoTime() < warmUntil) {
                classifier.predict(batch);
            }
            List<Long> latencies = new ArrayList<>();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long images = 0;
            while (System.nanoTime() < end) {
                long t = System.nanoTime();
                classifier.predict(batch);
                latencies.add(System.nanoTime() - t);
                images += maxBatch;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return summarise("in-process, batch " + maxBatch, 1, images / elapsed, latencies, 0);
        }
    }

    private Path latestVersion() throws Exception {
        try (var versions = Files.list(repository.resolve(model))) {
            return versions.filter(Files::isDirectory).max((a, b) -> ModelRepositoryOrder.compare(a, b)).orElseThrow();
        }
    }

    private Measured measureHttp(int port, int clients, double duration) throws Exception {
        // Daemon threads, shut down after the run: a client's pool must not keep the JVM alive.
        ExecutorService httpThreads = Executors.newFixedThreadPool(4, runnable -> {
            Thread t = new Thread(runnable, "bench-http");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().executor(httpThreads).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models/" + model + "/classify"))
                .header("Content-Type", "application/dicom").POST(HttpRequest.BodyPublishers.ofByteArray(dicom)).build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + (long) (duration * 1e9);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                long errors = 0;
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        mine.add(System.nanoTime() - t);
                    } else {
                        errors++;
                    }
                }
                long[] out = new long[mine.size() + 1];
                out[0] = errors;
                for (int i = 0; i < mine.size(); i++) {
                    out[i + 1] = mine.get(i);
                }
                return out;
            }));
        }
        List<Long> latencies = new ArrayList<>();
        long errors = 0;
        for (Future<long[]> f : futures) {
            long[] r = f.get();
            errors += r[0];
            for (int i = 1; i < r.length; i++) {
                latencies.add(r[i]);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        httpThreads.shutdown();
        return new Measured(clients, latencies.size() / elapsed, latencies, errors);
    }

    private record Measured(int clients, double throughput, List<Long> latencies, long errors) {
        Row named(String setup) {
            return summarise(setup, clients, throughput, latencies, errors);
        }
    }

    private static Row summarise(String setup, int clients, double throughput, List<Long> latencies, long errors) {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Row(setup, clients, throughput, percentile(sorted, 0.50), percentile(sorted, 0.99), errors);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    /** The repository's own version order (numeric when numbers). */
    private static final class ModelRepositoryOrder {
        static int compare(Path a, Path b) {
            return ModelRepository.compareVersions(a.getFileName().toString(), b.getFileName().toString());
        }
    }
}
