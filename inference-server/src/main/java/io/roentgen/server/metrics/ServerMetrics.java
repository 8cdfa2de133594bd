package io.roentgen.server.metrics;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import io.roentgen.server.batching.BatchListener;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.ModelStatus;
import io.roentgen.server.repository.ServedModel;

import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's Prometheus metrics, written in the text exposition format by hand (a few
 * counters and histograms do not justify a client library): requests by route and status,
 * latency histograms (request, queue, compute), batch sizes, queue depth, model state and GPU
 * memory where CUDA reports it.
 */
public final class ServerMetrics implements BatchListener {
    private static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final double[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final ConcurrentMap<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Histogram> requestSeconds = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Histogram> queueSeconds = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Histogram> computeSeconds = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Histogram> batchSizes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> instances = new ConcurrentHashMap<>();

    /** One finished HTTP request; {@code route} is the path template, never the concrete path. */
    public void requestDone(String method, String route, int status, double seconds) {
        String labels = PrometheusText.label("method", method) + "," + PrometheusText.label("route", route);
        requests.computeIfAbsent(labels + "," + PrometheusText.label("status", Integer.toString(status)), k -> new LongAdder())
                .increment();
        requestSeconds.computeIfAbsent(labels, k -> new Histogram(SECONDS)).observe(seconds);
    }

    /** One DICOM instance classified ("ok") or refused (its failure kind). */
    public void instanceDone(String outcome) {
        instances.computeIfAbsent(PrometheusText.label("outcome", outcome), k -> new LongAdder()).increment();
    }

    @Override
    public void batchDone(String model, int batchSize, long[] queueNanos, long computeNanos) {
        String labels = PrometheusText.label("model", model);
        batchSizes.computeIfAbsent(labels, k -> new Histogram(BATCH_SIZES)).observe(batchSize);
        computeSeconds.computeIfAbsent(labels, k -> new Histogram(SECONDS)).observe(computeNanos / 1e9);
        Histogram queue = queueSeconds.computeIfAbsent(labels, k -> new Histogram(SECONDS));
        for (long q : queueNanos) {
            queue.observe(q / 1e9);
        }
    }

    /**
     * The whole exposition, with gauges read from the repository now.
     *
     * @param requestsInFlight HTTP requests taken and not yet answered, this scrape included
     */
    public String scrape(ModelRepository repository, List<Device> devices, int requestsInFlight) {
        StringBuilder out = new StringBuilder(4096);
        PrometheusText.header(out, "roentgen_http_requests_in_flight", "gauge",
                "HTTP requests taken and not yet answered, this scrape included.");
        out.append("roentgen_http_requests_in_flight ").append(requestsInFlight).append('\n');
        counters(out, "roentgen_http_requests_total", "HTTP requests by method, route and status.", requests);
        histograms(out, "roentgen_http_request_seconds", "HTTP request latency, end to end.", requestSeconds);
        histograms(out, "roentgen_queue_seconds", "Time an image waited in the batcher's queue.", queueSeconds);
        histograms(out, "roentgen_compute_seconds", "Duration of one batched forward pass.", computeSeconds);
        histograms(out, "roentgen_batch_size", "Images per forward pass.", batchSizes);
        counters(out, "roentgen_instances_total", "DICOM instances classified or refused.", instances);
        gauges(out, repository);
        gpuMemory(out, devices);
        return out.toString();
    }

    /** The admission gauges: request memory in use and its budget, connections refused per client cap. */
    public String admission(long memoryUsedBytes, long memoryBudgetBytes, long connectionsRefused) {
        StringBuilder out = new StringBuilder(512);
        PrometheusText.header(out, "roentgen_request_memory_bytes", "gauge", "Request memory reserved by requests in flight.");
        out.append("roentgen_request_memory_bytes ").append(memoryUsedBytes).append('\n');
        PrometheusText.header(out, "roentgen_request_memory_budget_bytes", "gauge", "The request memory budget (--memory-budget-mb).");
        out.append("roentgen_request_memory_budget_bytes ").append(memoryBudgetBytes).append('\n');
        PrometheusText.header(out, "roentgen_connections_refused_total", "counter",
                "Connections closed at once because their client address held too many (--max-connections-per-client).");
        out.append("roentgen_connections_refused_total ").append(connectionsRefused).append('\n');
        return out.toString();
    }

    public static String contentType() {
        return PrometheusText.CONTENT_TYPE;
    }

    private static void counters(StringBuilder out, String name, String help, Map<String, LongAdder> values) {
        PrometheusText.header(out, name, "counter", help);
        new TreeMap<>(values).forEach((labels, v) -> out.append(name).append('{').append(labels).append("} ")
                .append(v.sum()).append('\n'));
    }

    private static void histograms(StringBuilder out, String name, String help, Map<String, Histogram> values) {
        PrometheusText.header(out, name, "histogram", help);
        new TreeMap<>(values).forEach((labels, h) -> h.write(out, name, labels));
    }

    private static void gauges(StringBuilder out, ModelRepository repository) {
        PrometheusText.header(out, "roentgen_queue_depth", "gauge", "Images waiting per model.");
        for (ServedModel m : repository.served()) {
            out.append("roentgen_queue_depth{").append(PrometheusText.label("model", m.name())).append("} ")
                    .append(m.batcher().queueDepth()).append('\n');
        }
        PrometheusText.header(out, "roentgen_model_ready", "gauge", "1 when the model version serves, else 0.");
        for (ModelStatus s : repository.index()) {
            out.append("roentgen_model_ready{").append(PrometheusText.label("model", s.name())).append(',')
                    .append(PrometheusText.label("version", s.version())).append(',')
                    .append(PrometheusText.label("state", s.state())).append("} ")
                    .append(s.state().equals("READY") ? 1 : 0).append('\n');
        }
    }

    private static void gpuMemory(StringBuilder out, List<Device> devices) {
        List<Device> gpus = devices.stream().filter(Device::isGpu).toList();
        if (gpus.isEmpty() || !CudaUtils.hasCuda()) {
            return;
        }
        PrometheusText.header(out, "roentgen_gpu_memory_used_bytes", "gauge", "GPU memory in use, as CUDA reports it.");
        for (Device gpu : gpus) {
            MemoryUsage usage = CudaUtils.getGpuMemory(gpu);
            out.append("roentgen_gpu_memory_used_bytes{").append(PrometheusText.label("device", gpu.toString()))
                    .append("} ").append(usage.getUsed()).append('\n');
        }
    }
}
