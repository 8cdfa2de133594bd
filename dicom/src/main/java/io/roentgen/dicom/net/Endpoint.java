package io.roentgen.dicom.net;

/**
 * One port the SCP listens on: plain DIMSE, or DICOM TLS ({@code tls} non-null). A node may
 * have both, as dcm4chee and IANA's separate "dicom-tls" port (2762) suggest: the same AE, spool
 * and association limit behind each.
 *
 * @param port the TCP port, 0 for any free one
 * @param tls the TLS settings, or null for plain TCP
 */
public record Endpoint(int port, DicomTls tls) {
    public Endpoint {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a port is 0 to 65535: " + port);
        }
    }

    public static Endpoint plain(int port) {
        return new Endpoint(port, null);
    }

    public static Endpoint tls(int port, DicomTls tls) {
        return new Endpoint(port, java.util.Objects.requireNonNull(tls, "tls"));
    }
}
