package io.roentgen.server.export;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.sr.MeasurementReportWriter;
import io.roentgen.dicom.sr.ReportOptions;
import io.roentgen.dicom.sr.StudyReport;
import io.roentgen.server.repository.ServedModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a study's classification into its SR and queues it for every result destination. What it
 * returns is on disk; the outbox delivers it, now or after the destination comes back.
 */
public final class ResultExporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultExporter.class);
    private final StudyReports reports = new StudyReports();
    private final MeasurementReportWriter writer;
    private final List<ResultDestination> destinations;
    private final Outbox outbox;
    private final java.util.concurrent.atomic.AtomicLong queueFailures = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @throws IllegalArgumentException when no destination is given, or one has no sender
     */
    public ResultExporter(ReportOptions options, List<ResultDestination> destinations, List<ResultSender> senders, Outbox outbox) {
        requireSenders(destinations, senders);
        this.writer = new MeasurementReportWriter(options);
        this.destinations = List.copyOf(destinations);
        this.outbox = java.util.Objects.requireNonNull(outbox, "outbox");
    }

    /** Checks that there is a destination and a sender for each, before anything starts sending. */
    public static void requireSenders(List<ResultDestination> destinations, List<ResultSender> senders) {
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("results need at least one --result-destination");
        }
        for (ResultDestination d : destinations) {
            if (senders.stream().noneMatch(s -> s.handles(d))) {
                throw new IllegalArgumentException("result destination " + d.uri() + ": this server has no sender for it");
            }
        }
    }

    /** Writes the study's SR and queues it for each destination; returns the SR's SOP Instance UID. */
    public String export(StudyReport report) throws IOException {
        return queue(writer.write(report));
    }

    /** Queues any result object (an SR, an explanation's SC or SEG) for every destination; returns its SOP Instance UID. */
    public String queue(DicomObject result) throws IOException {
        String uid = result.getString(Tag.SOPInstanceUID);
        byte[] part10 = DicomWriter.explicitLittleEndian().toByteArray(result);
        outbox.enqueue(part10, uid, destinations); // all destinations or none: a retry sends nothing twice
        return uid;
    }

    /**
     * One SR per study among the instances a model scored (a request may hold several studies),
     * queued for every destination; returns the SRs' SOP Instance UIDs. A report that cannot be
     * queued is logged, not thrown: the classification itself stands.
     */
    public List<String> emit(ServedModel model, List<StudyReports.Scored> scored) {
        Map<String, List<StudyReports.Scored>> byStudy = new LinkedHashMap<>();
        for (StudyReports.Scored s : scored) {
            byStudy.computeIfAbsent(s.source().studyInstanceUid(), k -> new ArrayList<>()).add(s);
        }
        List<String> uids = new ArrayList<>();
        for (List<StudyReports.Scored> study : byStudy.values()) {
            try {
                uids.add(emitStudy(model, study));
            } catch (IOException | RuntimeException e) {
                // logged and counted by emitStudy
            }
        }
        return uids;
    }

    /**
     * One study's SR, queued for every destination or for none; a failure is logged (without
     * identifiers), counted and thrown, so a caller that can retry (the DICOM node) does not mark
     * the study done.
     */
    public String emitStudy(ServedModel model, List<StudyReports.Scored> study) throws IOException {
        try {
            return export(reports.report(model, study));
        } catch (IOException | RuntimeException e) {
            queueFailures.incrementAndGet();
            LOG.error("cannot queue the SR of a study scored by '{}' ({} instances): {}", model.name(), study.size(),
                    e instanceof IOException ? e.toString() : e.getClass().getSimpleName()); // outbox paths only
            throw e;
        }
    }

    /** SRs that could not be queued (written or put in the outbox) since the start. */
    public long queueFailures() {
        return queueFailures.get();
    }

    /** How many SRs wait for a destination; NaN when the outbox folder cannot be read. */
    public double pendingCount() {
        try {
            return outbox.pending().size();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void close() throws InterruptedException {
        outbox.close();
    }
}
