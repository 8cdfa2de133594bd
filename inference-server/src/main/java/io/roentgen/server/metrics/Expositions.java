package io.roentgen.server.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a registry in the format a scraper's {@code Accept} header asks for, as the client's own
 * HTTP exporter negotiates: OpenMetrics when asked, the Prometheus text format otherwise.
 */
final class Expositions {
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    Expositions(PrometheusRegistry registry) {
        this.registry = registry;
    }

    Exposition write(String accept) {
        ExpositionFormatWriter writer = writerFor(accept);
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(body, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return new Exposition(writer.getContentType(), body.toByteArray());
    }

    /** Protobuf needs the client's protobuf artifact, which the build leaves out: text instead. */
    private ExpositionFormatWriter writerFor(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        return writer.isAvailable() ? writer : formats.getPrometheusTextFormatWriter();
    }
}
