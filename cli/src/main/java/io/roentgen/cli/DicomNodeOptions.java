package io.roentgen.cli;

import io.roentgen.dicom.net.DicomTls;
import io.roentgen.dicom.net.Endpoint;
import io.roentgen.dicom.net.ScpConfig;
import io.roentgen.engine.RoentgenException;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.dimse.DicomNode;
import io.roentgen.server.security.SslContexts;
import io.roentgen.server.security.TlsSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code roentgen serve}'s DICOM node flags (a Verification and Storage SCP whose studies are
 * classified like STOW-RS pushes). The node runs only with {@code --dicom-port} and/or
 * {@code --dicom-tls-port} (DICOM TLS with the server's --tls-* files). Where its SRs go
 * is set by {@link ResultOptions}, as for the HTTP routes.
 */
final class DicomNodeOptions {
    @Option(names = "--dicom-port", paramLabel = "PORT",
            description = "Also run a DICOM node (C-ECHO, C-STORE SCP) on this port; 0 picks a free one (default: off).")
    Integer dicomPort;

    @Option(names = "--dicom-tls-port", paramLabel = "PORT",
            description = "Also (or only) accept DICOM TLS (PS3.15 B.1, TLS 1.2/1.3) on this port, e.g. 2762, with the "
                    + "--tls-cert/--tls-key or --tls-keystore identity; --tls-client-ca requires client certificates (default: off).")
    Integer dicomTlsPort;

    @Option(names = "--ae-title", defaultValue = "ROENTGEN", description = "The node's AE title (default: ${DEFAULT-VALUE}).")
    String aeTitle;

    @Option(names = "--dicom-host", defaultValue = "127.0.0.1",
            description = "Address the DICOM node binds; DIMSE has no authentication (default: ${DEFAULT-VALUE}).")
    String dicomHost;

    @Option(names = "--max-associations", defaultValue = "25",
            description = "Associations at once; more get a transient reject (default: ${DEFAULT-VALUE}).")
    int maxAssociations;

    @Option(names = "--allowed-calling-aets", split = ",", paramLabel = "AET[,AET...]",
            description = "Calling AE titles accepted; others are rejected (default: any).")
    List<String> allowedCallingAets;

    @Option(names = "--spool", paramLabel = "DIR", defaultValue = "dicom-spool",
            description = "Where received instances are kept, fsynced before they are acknowledged (default: ${DEFAULT-VALUE}).")
    Path spool;

    @Option(names = "--study-quiet-seconds", defaultValue = "5",
            description = "A study is classified once nothing new arrived for this long (default: ${DEFAULT-VALUE}).")
    double studyQuietSeconds;

    @Option(names = "--spool-min-free-mb", defaultValue = "1024",
            description = "Stores are refused (A700) when the spool's disk has less free space (default: ${DEFAULT-VALUE}).")
    long spoolMinFreeMb;

    @Option(names = "--dimse-timeout-seconds", defaultValue = "60",
            description = "Once associated, the longest wait for each PDU of the next DIMSE message or of one under way; "
                + "a peer quiet for longer is aborted (default: ${DEFAULT-VALUE}).")
    double dimseTimeoutSeconds;

    @Option(names = "--spool-retention-hours", defaultValue = "24",
            description = "Scored instances are deleted from the spool this long after scoring; unscored ones never are; "
                + "negative keeps them (default: ${DEFAULT-VALUE}).")
    double spoolRetentionHours;

    /** How long scored instances stay in the spool, or null to keep them. */
    Duration spoolRetention() {
        return spoolRetentionHours < 0 ? null : Duration.ofMillis(Math.round(spoolRetentionHours * 3_600_000));
    }

    /** The SCP settings, or null when no node was asked for. */
    ScpConfig scpConfig() throws RoentgenException {
        if (dicomPort == null && dicomTlsPort == null) {
            return null;
        }
        if (!validPort(dicomPort) || !validPort(dicomTlsPort) || maxAssociations < 1 || studyQuietSeconds < 0
                || !(dimseTimeoutSeconds > 0 && dimseTimeoutSeconds <= 86_400)) {
            throw RoentgenException.usage("--dicom-port and --dicom-tls-port 0-65535, --max-associations at least 1, "
                    + "--study-quiet-seconds at least 0, --dimse-timeout-seconds above 0 and at most 86400");
        }
        try {
            ScpConfig base = ScpConfig.of(aeTitle, dicomPort != null ? dicomPort : dicomTlsPort, spool);
            return base.withHost(dicomHost).withMaxAssociations(maxAssociations)
                    .withAllowedCallingAets(allowedCallingAets == null ? Set.of() : Set.copyOf(allowedCallingAets))
                    .withMinFreeBytes(spoolMinFreeMb << 20)
                    .withTimers(base.artimMillis(), (int) Math.round(dimseTimeoutSeconds * 1000));
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage(e.getMessage());
        }
    }

    private static boolean validPort(Integer port) { return port == null || (port >= 0 && port <= 65535); }

    /** The plain and DICOM TLS ports asked for; the TLS one uses the server's TLS files. */
    List<Endpoint> endpoints(TlsSettings tls) throws RoentgenException {
        List<Endpoint> endpoints = new ArrayList<>();
        if (dicomPort != null) {
            endpoints.add(Endpoint.plain(dicomPort));
        }
        if (dicomTlsPort != null) {
            if (tls == null) {
                throw RoentgenException.usage("--dicom-tls-port needs --tls-cert and --tls-key, or --tls-keystore");
            }
            try {
                endpoints.add(Endpoint.tls(dicomTlsPort, new DicomTls(SslContexts.reloadingServer(tls), tls.mutual())));
            } catch (IOException | GeneralSecurityException e) {
                throw RoentgenException.usage("DICOM TLS: cannot load " + tls.files() + ": " + e.getMessage());
            }
        }
        return endpoints;
    }

    /** Starts the node beside a running server (stopping the server if it cannot); a no-op closer without a DICOM port. */
    AutoCloseable start(InferenceServer server) throws RoentgenException {
        ScpConfig config = scpConfig();
        if (config == null) {
            return () -> { };
        }
        try {
            DicomNode node = DicomNode.start(config, endpoints(server.config().security().tls()),
                    Math.round(studyQuietSeconds * 1000), server, spoolRetention());
            System.out.printf("Roentgen DICOM node %s on %s:%s, spool %s%n", config.aeTitle(), config.host(),
                    describePorts(node), config.spool());
            return node;
        } catch (RoentgenException e) {
            server.stop();
            throw e;
        } catch (IOException e) {
            server.stop();
            throw new RoentgenException("cannot start the DICOM node on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage());
        }
    }

    private String describePorts(DicomNode node) {
        if (dicomTlsPort == null) {
            return Integer.toString(node.scp().port());
        }
        String tls = node.scp().tlsPort() + " (DICOM TLS)";
        return dicomPort == null ? tls : node.scp().port() + " and " + tls;
    }
}
