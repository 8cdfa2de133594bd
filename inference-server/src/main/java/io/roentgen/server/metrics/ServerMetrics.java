package io.roentgen.server.metrics;

import ai.djl.Device;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.roentgen.server.batching.BatchListener;
import io.roentgen.server.repository.ModelRepository;

import java.util.List;

/**
 * The server's Prometheus metrics, kept by the official client: requests by route and status,
 * latency histograms (request, queue, compute), batch sizes and DICOM outcomes, recorded as they
 * happen; gauges read when scraped ({@link ServerGauges}); JVM and process metrics
 * ({@link ProcessMetricsCollector}).
 *
 * <p>Each server owns its registry, not the client's default one, so several servers in one JVM
 * (the tests start many) never see each other's counts.
 */
public final class ServerMetrics implements BatchListener {
    /** The bucket bounds of the hand-written exposition, kept so dashboards and alerts still match. */
    private static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final double[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("roentgen_http_requests_total")
            .help("HTTP requests by method, route and status.").labelNames("method", "route", "status")
            .withoutExemplars().register(registry);
    private final Histogram requestSeconds = seconds("roentgen_http_request_seconds",
            "HTTP request latency, end to end.", "method", "route");
    private final Histogram queueSeconds = seconds("roentgen_queue_seconds",
            "Time an image waited in the batcher's queue.", "model");
    private final Histogram computeSeconds = seconds("roentgen_compute_seconds",
            "Duration of one batched forward pass.", "model");
    private final Histogram batchSizes = histogram("roentgen_batch_size", "Images per forward pass.", BATCH_SIZES, "model");
    private final Counter instances = Counter.builder().name("roentgen_instances_total")
            .help("DICOM instances classified or refused.").labelNames("outcome")
            .withoutExemplars().register(registry);
    private final Expositions expositions = new Expositions(registry);

    public ServerMetrics() {
        registry.register(ProcessMetricsCollector.INSTANCE);
    }

    /** One finished HTTP request; {@code route} is the path template, never the concrete path. */
    public void requestDone(String method, String route, int status, double seconds) {
        requests.labelValues(method, route, Integer.toString(status)).inc();
        requestSeconds.labelValues(method, route).observe(seconds);
    }

    /** One DICOM instance classified ("ok") or refused (its failure kind). */
    public void instanceDone(String outcome) {
        instances.labelValues(outcome).inc();
    }

    @Override
    public void batchDone(String model, int batchSize, long[] queueNanos, long computeNanos) {
        batchSizes.labelValues(model).observe(batchSize);
        computeSeconds.labelValues(model).observe(computeNanos / 1e9);
        var queue = queueSeconds.labelValues(model);
        for (long q : queueNanos) {
            queue.observe(q / 1e9);
        }
    }

    /** Registers the gauges that are read at scrape time; call once, when the sources exist. */
    public void watch(ModelRepository repository, List<Device> devices, ServerReadings readings) {
        ServerGauges.register(registry, repository, devices, readings);
    }

    /** The SR outbox's backlog ({@code --emit-sr}), read at scrape time. */
    public void watchOutbox(java.util.function.DoubleSupplier pendingResults) {
        io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("roentgen_sr_outbox_pending")
                .help("Structured reports waiting in the outbox for a destination.")
                .callback(cb -> cb.call(pendingResults.getAsDouble())).register(registry);
    }

    /** SRs that could not be queued (a disk error, an unwritable outbox); the DICOM node retries its studies. */
    public void watchSrQueueFailures(java.util.function.LongSupplier failures) {
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name("roentgen_sr_queue_failures")
                .help("Structured reports that could not be written to the outbox.")
                .callback(cb -> cb.call(failures.getAsLong())).register(registry);
    }

    /** The registry, for components beside the HTTP server (the DICOM node) to register their own metrics. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Everything, in the format the {@code Accept} header asks for (may be null). */
    public Exposition scrape(String accept) {
        return expositions.write(accept);
    }

    private Histogram seconds(String name, String help, String... labels) {
        return histogram(name, help, SECONDS, labels);
    }

    /** Classic buckets only: native histograms reach Prometheus only over protobuf, which /metrics does not speak. */
    private Histogram histogram(String name, String help, double[] bounds, String... labels) {
        return Histogram.builder().name(name).help(help).labelNames(labels)
                .classicOnly().classicUpperBounds(bounds).withoutExemplars().register(registry);
    }
}
