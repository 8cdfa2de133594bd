package io.roentgen.benchmarks.serve;

import ai.djl.Device;
import io.roentgen.benchmarks.Stats;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.Classifier;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.repository.ModelRepository;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The server benchmark harness: throughput and latency of {@code POST /v1/models/{m}/classify}
 * over loopback HTTP at several client counts, with batching on and off, next to the in-process
 * batched predictor (one thread calling {@code Classifier.predict} on full batches of the same
 * preprocessed images) as the reference. It starts the servers itself; the load comes from
 * {@link HttpLoad} over HTTP/1.1, the generator {@code roentgen bench serve} uses.
 *
 * <pre>
 * java -cp ... io.roentgen.benchmarks.serve.ServerBenchmark MODEL_REPOSITORY MODEL DICOM_FILE [SECONDS=10] [MAX_BATCH=32]
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
            measureHttp(server.port(), Math.max(1, clientCounts[clientCounts.length - 1]), seconds / 4, name); // warm-up
            for (int clients : clientCounts) {
                rows.add(measureHttp(server.port(), clients, seconds, name));
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
            List<Double> latencies = new ArrayList<>();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long images = 0;
            while (System.nanoTime() < end) {
                long t = System.nanoTime();
                classifier.predict(batch);
                latencies.add((System.nanoTime() - t) / 1e6);
                images += maxBatch;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return summarise("in-process, batch " + maxBatch, 1, images / elapsed,
                    latencies.stream().mapToDouble(Double::doubleValue).toArray(), 0);
        }
    }

    private Path latestVersion() throws Exception {
        try (var versions = Files.list(repository.resolve(model))) {
            return versions.filter(Files::isDirectory).max((a, b) -> ModelRepositoryOrder.compare(a, b)).orElseThrow();
        }
    }

    private Row measureHttp(int port, int clients, double duration, String setup) throws InterruptedException {
        HttpLoad load = new HttpLoad(HttpLoad.classifyUri("http://127.0.0.1:" + port, model), null, List.of(dicom),
                HttpClient.Version.HTTP_1_1);
        HttpLoad.Run run = load.run(clients, Duration.ofNanos((long) (duration * 1e9)));
        long errors = run.errors().values().stream().mapToLong(Integer::longValue).sum();
        return summarise(setup, clients, run.latenciesMs().length / duration, run.latenciesMs(), errors);
    }

    /** Nearest-rank percentiles ({@link Stats#percentile}), as every benchmark reports them; NaN without latencies. */
    private static Row summarise(String setup, int clients, double throughput, double[] latenciesMs, long errors) {
        if (latenciesMs.length == 0) {
            return new Row(setup, clients, throughput, Double.NaN, Double.NaN, errors);
        }
        return new Row(setup, clients, throughput, Stats.percentile(latenciesMs, 0.50), Stats.percentile(latenciesMs, 0.99),
                errors);
    }

    /** The repository's own version order (numeric when numbers). */
    private static final class ModelRepositoryOrder {
        static int compare(Path a, Path b) {
            return ModelRepository.compareVersions(a.getFileName().toString(), b.getFileName().toString());
        }
    }
}
