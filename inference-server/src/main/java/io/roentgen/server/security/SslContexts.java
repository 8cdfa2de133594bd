package io.roentgen.server.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain JDK {@link SSLContext}s from {@link TlsSettings}' files, for the TLS that does not run in
 * Jetty: DICOM TLS on the DIMSE port and to {@code dicoms://} destinations. Same key and trust
 * material as HTTPS ({@link TlsMaterial}); the protocol versions are set on each socket.
 */
public final class SslContexts {
    private static final Logger LOG = LoggerFactory.getLogger(SslContexts.class);

    private SslContexts() {}

    /** The server side: our identity, and for mutual TLS the client CAs (PKIX: chain and validity dates). */
    public static SSLContext server(TlsSettings tls) throws IOException, GeneralSecurityException {
        return context(TlsMaterial.keyStore(tls), tls.mutual() ? TlsMaterial.trustStore(tls) : null);
    }

    /**
     * The client side: trusts the PEM CAs in {@code trustedCas} (the JDK's trust store when null)
     * and presents {@code identity}'s certificate when a peer asks for one (null: none).
     */
    public static SSLContext client(Path trustedCas, TlsSettings identity) throws IOException, GeneralSecurityException {
        KeyStore trust = null;
        if (trustedCas != null) {
            trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<java.security.cert.X509Certificate> cas = TlsMaterial.certificates(trustedCas.toString(),
                    Files.readAllBytes(trustedCas));
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
        }
        return context(identity == null ? null : TlsMaterial.keyStore(identity), trust);
    }

    private static SSLContext context(KeyStore keys, KeyStore trust) throws GeneralSecurityException {
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, TlsMaterial.STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust); // null: the JDK's cacerts
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * The server context, rebuilt when one of the files changed (modification time and size,
     * checked per call, i.e. per connection): certificates reload without a restart, as for
     * HTTPS. A change that does not load keeps the old context and is retried on the next call.
     * The first build happens here, so bad files fail the start.
     */
    public static Supplier<SSLContext> reloadingServer(TlsSettings tls) throws IOException, GeneralSecurityException {
        SSLContext first = server(tls);
        return new Supplier<>() {
            private SSLContext current = first;
            private List<String> seen = fingerprints(tls.files());

            @Override
            public synchronized SSLContext get() {
                List<String> now = fingerprints(tls.files());
                if (!now.equals(seen)) {
                    try {
                        current = server(tls);
                        seen = now;
                        LOG.info("DICOM TLS certificates reloaded from {}", tls.files());
                    } catch (IOException | GeneralSecurityException | RuntimeException e) {
                        LOG.warn("DICOM TLS certificates changed but do not load yet, keeping the old ones: {}", e.getMessage());
                    }
                }
                return current;
            }
        };
    }

    static List<String> fingerprints(List<Path> files) {
        List<String> prints = new ArrayList<>();
        for (Path file : files) {
            try {
                prints.add(Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file));
            } catch (IOException e) {
                prints.add("missing");
            }
        }
        return prints;
    }
}
