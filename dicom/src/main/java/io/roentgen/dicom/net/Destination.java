package io.roentgen.dicom.net;

import java.net.URI;

/** A DIMSE peer to send results to: {@code dicom://AET@host:port}. */
public record Destination(String aeTitle, String host, int port) {
    public Destination {
        if (aeTitle.isBlank() || aeTitle.length() > 16 || port < 1 || port > 65535) {
            throw new IllegalArgumentException("a destination is dicom://AET@host:port with a 1-16 character AE title");
        }
    }

    public static Destination parse(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a destination URI: " + text);
        }
        if (!"dicom".equals(uri.getScheme()) || uri.getUserInfo() == null || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("a destination is dicom://AET@host:port, not " + text);
        }
        return new Destination(uri.getUserInfo(), uri.getHost(), uri.getPort());
    }

    @Override
    public String toString() {
        return "dicom://" + aeTitle + "@" + host + ":" + port;
    }
}
