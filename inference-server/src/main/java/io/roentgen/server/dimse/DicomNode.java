package io.roentgen.server.dimse;

import io.roentgen.dicom.net.DicomScp;
import io.roentgen.dicom.net.Endpoint;
import io.roentgen.dicom.net.ScpConfig;
import io.roentgen.dicom.net.ScpMetrics;
import io.roentgen.dicom.net.StudyAssembler;
import io.roentgen.dicom.net.StudyListener;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.export.ResultExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * The DICOM node beside the HTTP server: the Storage SCP feeding the study assembler, which
 * hands quiet studies to a listener (the classifier). At start, the spool's unscored instances
 * are re-queued before the port opens.
 */
public final class DicomNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DicomNode.class);

    private final StudyAssembler assembler;
    private final DicomScp scp;
    /** Runs spool retention; null when scored instances are kept. */
    private java.util.concurrent.ScheduledExecutorService retention;

    private DicomNode(StudyAssembler assembler, DicomScp scp) {
        this.assembler = assembler;
        this.scp = scp;
    }

    public static DicomNode start(ScpConfig config, long quietMillis, StudyListener listener) throws IOException {
        return start(config, List.of(Endpoint.plain(config.port())), quietMillis, listener);
    }

    /** The node on each endpoint (plain and DICOM TLS ports share the spool and the assembler). */
    public static DicomNode start(ScpConfig config, List<Endpoint> endpoints, long quietMillis, StudyListener listener)
            throws IOException {
        StudyAssembler assembler = new StudyAssembler(quietMillis, listener);
        try {
            DicomScp scp = DicomScp.start(config, assembler, endpoints);
            int unscored = assembler.rescan(scp.spool());
            if (unscored > 0) {
                LOG.info("the spool holds {} unscored instance(s) from before: queued", unscored);
            }
            return new DicomNode(assembler, scp);
        } catch (IOException | RuntimeException e) {
            assembler.close();
            throw e;
        }
    }

    /**
     * The node for a running server: classifies with its STOW-RS model into its result store and,
     * with {@code --emit-sr}, emits each study's SR through the server's {@link ResultExporter}
     * (the same writer, outbox and destinations as the HTTP routes). Its counters join /metrics.
     */
    public static DicomNode start(ScpConfig config, List<Endpoint> endpoints, long quietMillis, InferenceServer server)
            throws IOException {
        return start(config, endpoints, quietMillis, server, null);
    }

    /**
     * As above, and deletes scored instances from the spool once they were scored longer ago than
     * {@code spoolRetention} (null keeps them), checking every tenth of it (1 minute to 1 hour).
     */
    public static DicomNode start(ScpConfig config, List<Endpoint> endpoints, long quietMillis, InferenceServer server,
            java.time.Duration spoolRetention) throws IOException {
        DicomNode node = start(config, endpoints, quietMillis, new DimseClassifier(server.repository(), server.config().stowModel(),
                server.results(), server.config().timeoutMs(), server.srExporter(), server.explanationEmitter()));
        try {
            node.register(server.metrics().registry());
            if (spoolRetention != null) {
                node.retainScored(spoolRetention);
            }
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** The node's counters, read at scrape time. */
    private void register(PrometheusRegistry registry) {
        ScpMetrics m = scp.metrics();
        GaugeWithCallback.builder().name("roentgen_dicom_associations_open").help("DIMSE associations open now.")
                .callback(cb -> cb.call(m.associationsOpen())).register(registry);
        CounterWithCallback.builder().name("roentgen_dicom_associations_rejected").help("A-ASSOCIATE-RJ sent, by reason.")
                .labelNames("reason").callback(cb -> m.rejected().forEach((reason, n) -> cb.call(n, reason)))
                .register(registry);
        CounterWithCallback.builder().name("roentgen_dicom_associations_aborted")
                .help("Associations the node aborted (protocol errors, timers).").callback(cb -> cb.call(m.aborts()))
                .register(registry);
        CounterWithCallback.builder().name("roentgen_dicom_dimse_timeouts")
                .help("Associations aborted because the peer went quiet past the DIMSE timer.")
                .callback(cb -> cb.call(m.dimseTimeouts())).register(registry);
        CounterWithCallback.builder().name("roentgen_dicom_unsupported_commands")
                .help("DIMSE commands answered 0211 Unrecognized Operation (C-FIND, C-MOVE, N-*, unknown).")
                .callback(cb -> cb.call(m.unsupportedCommands())).register(registry);
        CounterWithCallback.builder().name("roentgen_dicom_study_failures")
                .help("Study tries that failed (model, SR queueing); each is retried with backoff.")
                .callback(cb -> cb.call(assembler.failedTries())).register(registry);
        CounterWithCallback.builder().name("roentgen_dicom_instances_received").help("Instances stored with status 0000.")
                .callback(cb -> cb.call(m.instancesReceived())).register(registry);
        CounterWithCallback.builder().name("roentgen_dicom_received_bytes").help("Data set bytes of those instances.")
                .callback(cb -> cb.call(m.bytesReceived())).register(registry);
        GaugeWithCallback.builder().name("roentgen_dicom_spool_bytes").help("Bytes of acknowledged instances in the spool.")
                .callback(cb -> cb.call(scp.spool().sizeBytes())).register(registry);
        GaugeWithCallback.builder().name("roentgen_dicom_studies_pending").help("Studies waiting for their quiet period.")
                .callback(cb -> cb.call(assembler.pendingStudies())).register(registry);
    }

    /** The node on {@code config.port()} alone, plain TCP. */
    public static DicomNode start(ScpConfig config, long quietMillis, InferenceServer server) throws IOException {
        return start(config, List.of(Endpoint.plain(config.port())), quietMillis, server);
    }

    private void retainScored(java.time.Duration keep) {
        long every = Math.max(60_000, Math.min(3_600_000, keep.toMillis() / 10));
        retention = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dicom-spool-retention");
            t.setDaemon(true);
            return t;
        });
        retention.scheduleWithFixedDelay(() -> pruneSpool(keep), 0, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** One retention sweep of the spool: scored instances older than {@code keep} go. */
    public int pruneSpool(java.time.Duration keep) {
        try {
            int n = scp.spool().pruneScored(java.time.Instant.now().minus(keep));
            if (n > 0) {
                LOG.info("spool retention deleted {} scored instance(s)", n);
            }
            return n;
        } catch (IOException | RuntimeException e) {
            LOG.warn("spool retention failed: {}", e.getClass().getSimpleName()); // paths hold study UIDs
            return 0;
        }
    }

    public DicomScp scp() {
        return scp;
    }

    public StudyAssembler assembler() {
        return assembler;
    }

    /** Closes the port, then the assembler; studies still waiting are re-scanned at the next start. */
    @Override
    public void close() {
        if (retention != null) {
            retention.shutdownNow();
        }
        scp.close();
        assembler.close();
    }
}
