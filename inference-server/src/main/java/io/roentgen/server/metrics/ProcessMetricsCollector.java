package io.roentgen.server.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The client's JVM and process metrics (memory, GC, threads, classes, CPU, file descriptors),
 * added to every server's registry.
 *
 * <p>They describe the process, not one server, so one registry holds them for the whole JVM:
 * the client keeps every registry it ever registered JVM metrics with, and adds GC listeners for
 * each, so registering them per server would grow with every server a test starts.
 */
final class ProcessMetricsCollector implements MultiCollector {
    static final ProcessMetricsCollector INSTANCE = new ProcessMetricsCollector();

    private final PrometheusRegistry jvm = new PrometheusRegistry();

    private ProcessMetricsCollector() {
        JvmMetrics.builder().register(jvm);
    }

    @Override
    public MetricSnapshots collect() {
        return jvm.scrape();
    }
}
