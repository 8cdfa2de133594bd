package io.roentgen.server.metrics;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.ModelStatus;
import io.roentgen.server.repository.ServedModel;

import java.util.List;

/** The metrics read from their sources when scraped: queue depth, model state, GPU memory, admission. */
final class ServerGauges {
    private ServerGauges() {}

    static void register(PrometheusRegistry registry, ModelRepository repository, List<Device> devices,
                         ServerReadings readings) {
        GaugeWithCallback.builder().name("roentgen_http_requests_in_flight")
                .help("HTTP requests taken and not yet answered, this scrape included.")
                .callback(cb -> cb.call(readings.requestsInFlight().getAsInt())).register(registry);
        GaugeWithCallback.builder().name("roentgen_queue_depth").help("Images waiting per model.").labelNames("model")
                .callback(cb -> {
                    for (ServedModel m : repository.served()) {
                        cb.call(m.batcher().queueDepth(), m.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("roentgen_model_ready").help("1 when the model version serves, else 0.")
                .labelNames("model", "version", "state")
                .callback(cb -> {
                    for (ModelStatus s : repository.index()) {
                        cb.call(s.state().equals("READY") ? 1 : 0, s.name(), s.version(), s.state());
                    }
                }).register(registry);
        registerGpuMemory(registry, devices);
        registerAdmission(registry, readings);
    }

    /** Only where CUDA answers: a CPU server has no such family at all, as before. */
    private static void registerGpuMemory(PrometheusRegistry registry, List<Device> devices) {
        List<Device> gpus = devices.stream().filter(Device::isGpu).toList();
        if (gpus.isEmpty() || !CudaUtils.hasCuda()) {
            return;
        }
        GaugeWithCallback.builder().name("roentgen_gpu_memory_used_bytes").help("GPU memory in use, as CUDA reports it.")
                .labelNames("device")
                .callback(cb -> {
                    for (Device gpu : gpus) {
                        cb.call(CudaUtils.getGpuMemory(gpu).getUsed(), gpu.toString());
                    }
                }).register(registry);
    }

    private static void registerAdmission(PrometheusRegistry registry, ServerReadings readings) {
        GaugeWithCallback.builder().name("roentgen_request_memory_bytes").help("Request memory reserved by requests in flight.")
                .callback(cb -> cb.call(readings.requestMemoryBytes().getAsLong())).register(registry);
        GaugeWithCallback.builder().name("roentgen_request_memory_budget_bytes").help("The request memory budget (--memory-budget-mb).")
                .callback(cb -> cb.call(readings.requestMemoryBudgetBytes().getAsLong())).register(registry);
        CounterWithCallback.builder().name("roentgen_connections_refused_total")
                .help("Connections closed at once because their client address held too many (--max-connections-per-client).")
                .callback(cb -> cb.call(readings.connectionsRefused().getAsLong())).register(registry);
    }
}
