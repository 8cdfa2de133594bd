package io.roentgen.cli;

import io.roentgen.dicom.net.DicomTls;
import io.roentgen.dicom.sr.ReportOptions;
import io.roentgen.dicom.sr.SrClass;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.server.export.Backoff;
import io.roentgen.server.export.CStoreSender;
import io.roentgen.server.export.Outbox;
import io.roentgen.server.export.ResultDestination;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.export.ResultSender;
import io.roentgen.server.export.StowRsClient;
import io.roentgen.server.security.SslContexts;
import io.roentgen.server.security.TlsSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

/**
 * {@code roentgen serve}'s flags for results back to the PACS: where DICOM SRs go, which SR class,
 * the outbox folder, and whether every entry path (HTTP classify, STOW-RS, the DICOM node) emits them. Mixed into the serve command.
 */
public final class ResultOptions {
    @Option(names = "--result-destination", paramLabel = "URI",
            description = "Where SRs go; repeatable: dicom://AET@host:port (C-STORE) or https://host/dicomweb (STOW-RS, "
                + "or http://). Failed sends are retried from the outbox.")
    List<String> destinations = new ArrayList<>();

    @Option(names = "--result-tls-ca", paramLabel = "PEM",
            description = "CA certificates trusted for dicoms://AET@host:port destinations (DICOM TLS); default: the JDK's "
                    + "trust store. The server's --tls-cert/--tls-key is presented when the destination asks for one.")
    Path resultTlsCa;

    @Option(names = "--emit-sr", description = "The classify and STOW-RS routes and the DICOM node send each study's "
            + "DICOM SR (TID 1500) to every --result-destination.")
    boolean emitSr;

    @Option(names = "--emit-explanation", arity = "0..1", fallbackValue = "sc", paramLabel = "sc|seg",
            description = "With --emit-sr: each reported instance's Grad-CAM map (predicted class) goes with the SR, as "
                + "a Secondary Capture (sc, the default) or a fractional Segmentation (seg).")
    String emitExplanation;

    @Option(names = "--sr-class", defaultValue = "comprehensive3d", paramLabel = "CLASS",
            description = "comprehensive3d (Comprehensive 3D SR) or comprehensive (Comprehensive SR) (default: ${DEFAULT-VALUE}).")
    String srClass;

    @Option(names = "--outbox", defaultValue = "outbox", paramLabel = "DIR",
            description = "Durable folder of results waiting for their destination (default: ${DEFAULT-VALUE}).")
    Path outbox;

    @Option(names = "--outbox-retention-hours", defaultValue = "168",
            description = "Delivered SRs are deleted from the outbox's done/ this long after delivery; pending and "
                + "failed ones never are; negative keeps them (default: ${DEFAULT-VALUE}).")
    double outboxRetentionHours;

    /** How long delivered SRs stay in done/, or null to keep them. */
    java.time.Duration outboxRetention() {
        return outboxRetentionHours < 0 ? null : java.time.Duration.ofMillis(Math.round(outboxRetentionHours * 3_600_000));
    }

    /**
     * The exporter every entry path emits through, or null without {@code --emit-sr}; its outbox
     * starts delivering what an earlier run left pending.
     *
     * @param callingAe our AE title when we C-STORE to a {@code dicom://} destination
     * @param identity the server's TLS identity, presented to {@code dicoms://} destinations that ask; or null
     */
    ResultExporter srExporter(String callingAe, TlsSettings identity) throws RoentgenException {
        if (!emitSr) {
            if (!destinations.isEmpty()) {
                System.err.println("warning: --result-destination without --emit-sr: no SR is sent");
            }
            return null;
        }
        if (destinations.isEmpty()) {
            throw RoentgenException.usage("--emit-sr needs at least one --result-destination");
        }
        try {
            List<ResultDestination> parsed = new ArrayList<>();
            for (String d : destinations) {
                parsed.add(ResultDestination.parse(d));
            }
            ReportOptions options = ReportOptions.defaults().withSrClass(SrClass.parse(srClass));
            List<ResultSender> senders = List.of(new StowRsClient(Duration.ofSeconds(60), null),
                    new CStoreSender(callingAe, Duration.ofSeconds(60), dicomTls(parsed, identity)));
            // Check the destinations before the outbox starts sending anything.
            ResultExporter.requireSenders(parsed, senders);
            Outbox box = new Outbox(outbox, senders, Backoff.defaults());
            box.retainDone(outboxRetention());
            return new ResultExporter(options, parsed, senders, box);
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage(e.getMessage());
        } catch (IOException e) {
            throw RoentgenException.usage("cannot use the outbox folder " + outbox + ": " + e.getMessage());
        }
    }

    /** The client side of DICOM TLS when a destination is {@code dicoms://}; null otherwise. */
    private DicomTls dicomTls(List<ResultDestination> parsed, TlsSettings identity) throws RoentgenException {
        boolean any = parsed.stream().anyMatch(d -> d instanceof ResultDestination.Dicom dicom && dicom.tls());
        if (!any) {
            return null;
        }
        try {
            SSLContext context = SslContexts.client(resultTlsCa, identity);
            return new DicomTls(() -> context, false);
        } catch (IOException | GeneralSecurityException e) {
            throw RoentgenException.usage("DICOM TLS for dicoms:// destinations: " + e.getMessage());
        }
    }

    /** The DICOM object explanations are emitted as, or null without {@code --emit-explanation}. */
    ExplanationDicom explanationKind() throws RoentgenException {
        if (emitExplanation == null) {
            return null;
        }
        if (!emitSr) {
            throw RoentgenException.usage("--emit-explanation goes with the SR: add --emit-sr");
        }
        try {
            return ExplanationDicom.parse(emitExplanation);
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage("--emit-explanation: " + e.getMessage());
        }
    }

    /** Stops the outbox worker after the server stopped; what is pending stays for the next start. */
    static void close(ResultExporter exporter) throws InterruptedException {
        if (exporter != null) {
            exporter.close();
        }
    }
}
