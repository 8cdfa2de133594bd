package io.roentgen.dicom.net;

import java.nio.file.Path;
import java.util.Set;

/**
 * The SCP's settings.
 *
 * @param aeTitle our AE title: an association must call it
 * @param host the address to listen on (loopback by default: a DICOM port has no authentication)
 * @param port the TCP port, 0 for any free one
 * @param maxAssociations associations served at once; more get a transient A-ASSOCIATE-RJ
 * @param allowedCallingAets the calling AE titles accepted; empty accepts any
 * @param spool the spool directory
 * @param maxPduLength the longest P-DATA-TF we receive, announced in the A-ASSOCIATE-AC
 * @param artimMillis ARTIM: how long we wait for an A-ASSOCIATE-RQ after the connection opens, and
 *     for the peer to close after A-ASSOCIATE-RJ or A-RELEASE-RP
 * @param idleMillis the DIMSE timer: the longest wait, once associated, for each PDU start to end, whether
 *     the next message's or the rest of one under way (dcmtk's --dimse-timeout); on expiry an A-ABORT
 * @param minFreeBytes stores are refused with A700 when the spool's file system has less free space
 * @param maxInstanceBytes the largest data set accepted; a longer one aborts the association
 */
public record ScpConfig(String aeTitle, String host, int port, int maxAssociations, Set<String> allowedCallingAets,
        Path spool, int maxPduLength, int artimMillis, int idleMillis, long minFreeBytes, long maxInstanceBytes) {

    public ScpConfig {
        if (aeTitle.isBlank() || aeTitle.length() > 16) {
            throw new IllegalArgumentException("an AE title has 1 to 16 characters: '" + aeTitle + "'");
        }
        if (maxAssociations < 1) {
            throw new IllegalArgumentException("max associations must be at least 1");
        }
        allowedCallingAets = Set.copyOf(allowedCallingAets);
    }

    /** Defaults: loopback, 25 associations, any caller, 256 KiB PDUs, 10 s ARTIM, 60 s idle, 1 GiB free, 2 GiB instances. */
    public static ScpConfig of(String aeTitle, int port, Path spool) {
        return new ScpConfig(aeTitle, "127.0.0.1", port, 25, Set.of(), spool, 256 * 1024, 10_000, 60_000,
                1L << 30, (2L << 30) - 1);
    }

    public ScpConfig withHost(String h) {
        return new ScpConfig(aeTitle, h, port, maxAssociations, allowedCallingAets, spool, maxPduLength, artimMillis,
                idleMillis, minFreeBytes, maxInstanceBytes);
    }

    public ScpConfig withMaxAssociations(int n) {
        return new ScpConfig(aeTitle, host, port, n, allowedCallingAets, spool, maxPduLength, artimMillis, idleMillis,
                minFreeBytes, maxInstanceBytes);
    }

    public ScpConfig withAllowedCallingAets(Set<String> aets) {
        return new ScpConfig(aeTitle, host, port, maxAssociations, aets, spool, maxPduLength, artimMillis, idleMillis,
                minFreeBytes, maxInstanceBytes);
    }

    public ScpConfig withTimers(int artim, int idle) {
        return new ScpConfig(aeTitle, host, port, maxAssociations, allowedCallingAets, spool, maxPduLength, artim, idle,
                minFreeBytes, maxInstanceBytes);
    }

    public ScpConfig withMinFreeBytes(long bytes) {
        return new ScpConfig(aeTitle, host, port, maxAssociations, allowedCallingAets, spool, maxPduLength, artimMillis,
                idleMillis, bytes, maxInstanceBytes);
    }

    public ScpConfig withMaxInstanceBytes(long bytes) {
        return new ScpConfig(aeTitle, host, port, maxAssociations, allowedCallingAets, spool, maxPduLength, artimMillis,
                idleMillis, minFreeBytes, bytes);
    }
}
