package io.roentgen.server.security;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the server's TLS identity comes from: a PEM certificate chain and PKCS#8 key, or a
 * PKCS12 key store; and, for mutual TLS, the PEM certificates of the CAs whose client
 * certificates are accepted (a client without one is refused in the handshake).
 *
 * @param certificate      PEM certificate chain, leaf first (with {@code key})
 * @param key              PEM PKCS#8 private key, RSA or EC (with {@code certificate})
 * @param keyStore         PKCS12 file (instead of the PEM pair)
 * @param keyStorePassword its password ("" for none)
 * @param clientCa         PEM CA certificates for mutual TLS, or null for server-only TLS
 * @param reloadCheckMillis how often the files are checked for changes (they reload without a restart)
 */
public record TlsSettings(Path certificate, Path key, Path keyStore, String keyStorePassword, Path clientCa,
        long reloadCheckMillis) {

    public TlsSettings {
        if (keyStore == null && (certificate == null || key == null)) {
            throw new IllegalArgumentException("TLS needs --tls-cert and --tls-key, or --tls-keystore");
        }
        if (keyStore != null && (certificate != null || key != null)) {
            throw new IllegalArgumentException("give --tls-keystore or --tls-cert/--tls-key, not both");
        }
        if (reloadCheckMillis < 1) {
            throw new IllegalArgumentException("the TLS reload check interval must be >= 1 ms");
        }
        keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
    }

    /** A PEM certificate and key, optionally with client CAs; files are checked every second. */
    public static TlsSettings pem(Path certificate, Path key, Path clientCa) {
        return new TlsSettings(certificate, key, null, null, clientCa, 1000);
    }

    public TlsSettings withReloadCheckMillis(long millis) {
        return new TlsSettings(certificate, key, keyStore, keyStorePassword, clientCa, millis);
    }

    public boolean mutual() {
        return clientCa != null;
    }

    /** The files whose change reloads the TLS identity or the client CAs. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Path file : new Path[] {certificate, key, keyStore, clientCa}) {
            if (file != null) {
                files.add(file);
            }
        }
        return files;
    }
}
