package io.roentgen.cli;

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
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code roentgen serve}'s flags for results back to the PACS: where DICOM SRs go, which SR class,
 * the outbox folder, and whether every entry path (HTTP classify, STOW-RS, the DICOM node) emits them. Mixed into the serve command.
 */
public final class ResultOptions {
    @Option(names = "--result-destination", paramLabel = "URI",
            description = "Where SRs go; repeatable: dicom://AET@host:port (C-STORE) or https://host/dicomweb (STOW-RS, "
                + "or http://). Failed sends are retried from the outbox.")
    List<String> destinations = new ArrayList<>();

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

    /**
     * The exporter every entry path emits through, or null without {@code --emit-sr}; its outbox
     * starts delivering what an earlier run left pending.
     *
     * @param callingAe our AE title when we C-STORE to a {@code dicom://} destination
     */
    ResultExporter srExporter(String callingAe) throws RoentgenException {
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
                    new CStoreSender(callingAe, Duration.ofSeconds(60)));
            // Check the destinations before the outbox starts sending anything.
            ResultExporter.requireSenders(parsed, senders);
            return new ResultExporter(options, parsed, senders, new Outbox(outbox, senders, Backoff.defaults()));
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage(e.getMessage());
        } catch (IOException e) {
            throw RoentgenException.usage("cannot use the outbox folder " + outbox + ": " + e.getMessage());
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
