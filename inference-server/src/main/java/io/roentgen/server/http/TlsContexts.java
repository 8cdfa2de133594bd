package io.roentgen.server.http;

import io.roentgen.server.security.TlsMaterial;
import io.roentgen.server.security.TlsSettings;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * Jetty's {@link SslContextFactory.Server} from {@link TlsSettings}: TLS 1.2 and 1.3 only, the
 * JDK's default (strong) cipher suites, and for mutual TLS a client certificate required and
 * checked against the client CAs (validity dates included) during the handshake.
 */
final class TlsContexts {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {}

    static SslContextFactory.Server server(TlsSettings tls) throws IOException, GeneralSecurityException {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setIncludeProtocols(PROTOCOLS);
        load(ssl, tls);
        ssl.setKeyManagerPassword(TlsMaterial.STORE_PASSWORD);
        ssl.setKeyStorePassword(TlsMaterial.STORE_PASSWORD);
        if (tls.mutual()) {
            ssl.setNeedClientAuth(true);
        }
        return ssl;
    }

    /** Reads the files into the factory; called at start and by each reload. */
    static void load(SslContextFactory.Server ssl, TlsSettings tls) throws IOException, GeneralSecurityException {
        ssl.setKeyStore(TlsMaterial.keyStore(tls));
        if (tls.mutual()) {
            ssl.setTrustStore(TlsMaterial.trustStore(tls));
        }
    }
}
