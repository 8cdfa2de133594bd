package io.roentgen.server.http;

import io.javalin.config.JavalinConfig;
import io.roentgen.server.admission.ServerLimits;
import io.roentgen.server.security.TlsSettings;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * Jetty's side of the server limits: one connector on the configured address with an idle
 * timeout and the per-client connection cap, a minimum data rate for request bodies (a body that
 * dribbles in is cut off with 408 instead of holding a thread), and a thread pool of known size
 * so that the body-reading routes can leave part of it to health and metadata. With
 * {@link TlsSettings} the connector speaks only TLS 1.2 and 1.3 (and requires a client
 * certificate for mutual TLS), and reloads its certificates when their files change.
 */
public final class HttpEdge {
    private final ServerLimits limits;
    private final PerClientConnectionLimit perClient;
    private TlsSettings tls;
    private SslContextFactory.Server ssl;

    public HttpEdge(ServerLimits limits) {
        this.limits = limits;
        this.perClient = new PerClientConnectionLimit(limits.maxConnectionsPerClient());
    }

    /** Serves TLS from these files (read now, so that a bad file fails the start); call before {@link #configure}. */
    public void tls(TlsSettings settings) throws IOException, GeneralSecurityException {
        tls = settings;
        ssl = TlsContexts.server(settings);
    }

    /** Listens on {@code host:port} (0 picks a free port) with these limits, over TLS if {@link #tls} was given. */
    public void configure(JavalinConfig javalin, String host, int port) {
        QueuedThreadPool threads = new QueuedThreadPool(ServerLimits.SERVER_THREADS, 8, 60_000);
        threads.setName("http");
        javalin.jetty.threadPool = threads;
        javalin.jetty.modifyHttpConfiguration(http -> {
            http.setMinRequestDataRate(limits.minRequestBytesPerSecond());
            http.setSendServerVersion(false);
        });
        javalin.jetty.addConnector((server, http) -> {
            ServerConnector connector = ssl == null ? new ServerConnector(server, new HttpConnectionFactory(http))
                    : tlsConnector(server, http, ssl, tls);
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(limits.idleTimeoutMs());
            connector.addBean(perClient);
            return connector;
        });
    }

    /** TLS, then HTTP/1.1 with the client certificate exposed to the routes (SecureRequestCustomizer). */
    private static ServerConnector tlsConnector(Server server, HttpConfiguration http, SslContextFactory.Server ssl,
            TlsSettings tls) {
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.addBean(new CertificateReloader(ssl, tls));
        return connector;
    }

    /** "https" or "http", for what the server prints. */
    public String scheme() {
        return ssl == null ? "http" : "https";
    }

    public PerClientConnectionLimit perClient() {
        return perClient;
    }
}
