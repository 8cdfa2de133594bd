package io.roentgen.server.http;

import io.javalin.config.JavalinConfig;
import io.roentgen.server.admission.ServerLimits;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's side of the server limits: one connector on the configured address with an idle
 * timeout and the per-client connection cap, a minimum data rate for request bodies (a body that
 * dribbles in is cut off with 408 instead of holding a thread), and a thread pool of known size
 * so that the body-reading routes can leave part of it to health and metadata.
 */
public final class HttpEdge {
    private final ServerLimits limits;
    private final PerClientConnectionLimit perClient;

    public HttpEdge(ServerLimits limits) {
        this.limits = limits;
        this.perClient = new PerClientConnectionLimit(limits.maxConnectionsPerClient());
    }

    /** Listens on {@code host:port} (0 picks a free port) with these limits. */
    public void configure(JavalinConfig javalin, String host, int port) {
        QueuedThreadPool threads = new QueuedThreadPool(ServerLimits.SERVER_THREADS, 8, 60_000);
        threads.setName("http");
        javalin.jetty.threadPool = threads;
        javalin.jetty.modifyHttpConfiguration(http -> {
            http.setMinRequestDataRate(limits.minRequestBytesPerSecond());
            http.setSendServerVersion(false);
        });
        javalin.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(limits.idleTimeoutMs());
            connector.addBean(perClient);
            return connector;
        });
    }

    public PerClientConnectionLimit perClient() {
        return perClient;
    }
}
