package io.roentgen.server.export;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where results go, parsed from a {@code --result-destination} URI: {@code dicom://AET@host:port}
 * for a C-STORE SCP ({@code dicoms://AET@host:port} over DICOM TLS, as https is to http), {@code https://host/dicomweb} (or {@code http://}) for a STOW-RS service,
 * whose {@code /studies} resource is posted to.
 */
public sealed interface ResultDestination {

    /** The URI as given, which also names the destination in the outbox and in logs. */
    String uri();

    /** A DICOM node: the SCP's AE title, host and port, and whether it is reached over DICOM TLS. */
    record Dicom(String uri, String aeTitle, String host, int port, boolean tls) implements ResultDestination {
        public Dicom(String uri, String aeTitle, String host, int port) {
            this(uri, aeTitle, host, port, false);
        }
    }

    /** A DICOMweb service: its base URL (without {@code /studies}). */
    record StowRs(String uri, URI base) implements ResultDestination {
        /** The Store Instances resource: {@code <base>/studies}. */
        public URI studies() {
            String b = base.toString();
            return URI.create(b.endsWith("/") ? b + "studies" : b + "/studies");
        }
    }

    static ResultDestination parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("result destination '" + text + "' is not a URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "dicom", "dicoms" -> dicom(text.strip(), uri, scheme.equals("dicoms"));
            case "http", "https" -> stowRs(text.strip(), uri);
            default -> throw new IllegalArgumentException("result destination '" + text
                    + "': use dicom://AET@host:port (dicoms:// for DICOM TLS) or https://host/dicomweb (or http://)");
        };
    }

    private static Dicom dicom(String text, URI uri, boolean tls) {
        String ae = uri.getUserInfo();
        if (ae == null || ae.isBlank() || ae.length() > 16 || ae.contains("\\") || uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("result destination '" + text
                    + "': a DICOM node is dicom://AET@host:port with an AE title of 1 to 16 characters");
        }
        return new Dicom(text, ae, uri.getHost(), uri.getPort(), tls);
    }

    private static StowRs stowRs(String text, URI uri) {
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("result destination '" + text
                    + "': a STOW-RS service is https://host[:port]/path-to-dicomweb without query or fragment");
        }
        return new StowRs(text, uri);
    }
}
