package io.roentgen.server.dimse;

import io.roentgen.dicom.net.DicomScp;
import io.roentgen.dicom.net.Outbox;
import io.roentgen.dicom.net.ResultSender;
import io.roentgen.dicom.net.ScpConfig;
import io.roentgen.dicom.net.ScpMetrics;
import io.roentgen.dicom.net.StudyAssembler;
import io.roentgen.dicom.net.StudyListener;
import io.roentgen.server.InferenceServer;
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

    /** How often the outbox retries a destination that was down. */
    public static final long OUTBOX_RETRY_MILLIS = 30_000;
    private static final int SEND_TIMEOUT_MILLIS = 30_000;

    private final StudyAssembler assembler;
    private final DicomScp scp;
    private Outbox outbox;

    private DicomNode(StudyAssembler assembler, DicomScp scp) {
        this.assembler = assembler;
        this.scp = scp;
    }

    public static DicomNode start(ScpConfig config, long quietMillis, StudyListener listener) throws IOException {
        StudyAssembler assembler = new StudyAssembler(quietMillis, listener);
        try {
            DicomScp scp = DicomScp.start(config, assembler);
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
     * with destinations, sends each study's SR to them through a durable outbox in the spool.
     */
    public static DicomNode start(ScpConfig config, long quietMillis, InferenceServer server, List<String> destinations,
            boolean comprehensive3d, long retryMillis) throws IOException {
        List<ResultSender> senders = destinations.stream()
                .map(uri -> ResultSender.parse(uri, config.aeTitle(), SEND_TIMEOUT_MILLIS)).toList();
        Outbox outbox = senders.isEmpty() ? null : new Outbox(config.spool().resolve("outbox"), senders, retryMillis);
        try {
            DicomNode node = start(config, quietMillis, new DimseClassifier(server.repository(), server.config().stowModel(),
                    server.results(), server.config().timeoutMs(), outbox, comprehensive3d));
            node.outbox = outbox;
            server.addMetricsSource(node::prometheus);
            return node;
        } catch (IOException | RuntimeException e) {
            if (outbox != null) {
                outbox.close();
            }
            throw e;
        }
    }

    /** The node for a running server, without result destinations. */
    public static DicomNode start(ScpConfig config, long quietMillis, InferenceServer server) throws IOException {
        return start(config, quietMillis, server, List.of(), true, OUTBOX_RETRY_MILLIS);
    }

    /** The node's counters in Prometheus text format. */
    public String prometheus() {
        ScpMetrics m = scp.metrics();
        StringBuilder out = new StringBuilder(1024);
        gauge(out, "roentgen_dicom_associations_open", "DIMSE associations open now.", m.associationsOpen());
        out.append("# HELP roentgen_dicom_associations_rejected_total A-ASSOCIATE-RJ sent, by reason.\n")
                .append("# TYPE roentgen_dicom_associations_rejected_total counter\n");
        m.rejected().forEach((reason, n) -> out.append("roentgen_dicom_associations_rejected_total{reason=\"")
                .append(reason).append("\"} ").append(n).append('\n'));
        counter(out, "roentgen_dicom_associations_aborted_total", "Associations the node aborted (protocol errors, timers).",
                m.aborts());
        counter(out, "roentgen_dicom_instances_received_total", "Instances stored with status 0000.", m.instancesReceived());
        counter(out, "roentgen_dicom_received_bytes_total", "Data set bytes of those instances.", m.bytesReceived());
        gauge(out, "roentgen_dicom_spool_bytes", "Bytes of acknowledged instances in the spool.", scp.spool().sizeBytes());
        gauge(out, "roentgen_dicom_studies_pending", "Studies waiting for their quiet period.", assembler.pendingStudies());
        if (outbox != null) {
            try {
                gauge(out, "roentgen_dicom_outbox_pending", "Reports waiting for a destination.", outbox.pending());
            } catch (IOException e) {
                LOG.warn("cannot count the outbox: {}", e.getMessage());
            }
        }
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n').append("# TYPE ").append(name)
                .append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n').append("# TYPE ").append(name)
                .append(" counter\n").append(name).append(' ').append(value).append('\n');
    }

    /** The result outbox, or null without destinations. */
    public Outbox outbox() {
        return outbox;
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
        scp.close();
        assembler.close();
        if (outbox != null) {
            outbox.close();
        }
    }
}
