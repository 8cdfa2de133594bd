package io.roentgen.server.http;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps the connections one client address holds open: a connection past the cap is closed as
 * soon as it opens, before it can take a thread. One client that opens hundreds of slow
 * connections then cannot crowd out the others.
 *
 * <p>What is counted is sockets. Over TLS Jetty opens two connections per socket, the TLS layer
 * and the HTTP connection on its decrypted end point, and tells every listener of both; counting
 * both halved the cap for HTTPS clients, and a load of 32 keep-alive clients that had replaced
 * its connections once had its handshakes cut off (docs/DECISIONS.md 92).
 */
public final class PerClientConnectionLimit implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(PerClientConnectionLimit.class);
    private final int maxPerClient;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** Each connection's client, kept: a closed socket no longer knows its remote address. */
    private final ConcurrentHashMap<Connection, InetAddress> clients = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    public PerClientConnectionLimit(int maxPerClient) {
        this.maxPerClient = maxPerClient;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = client(connection);
        if (client == null || connection.getEndPoint() instanceof SslConnection.DecryptedEndPoint) {
            return;
        }
        clients.put(connection, client);
        int now = open.merge(client, 1, Integer::sum);
        if (now > maxPerClient) {
            LOG.debug("closing a connection from {}: it holds {} (the cap is {})", client, now, maxPerClient);
            refused.incrementAndGet();
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress client = clients.remove(connection);
        if (client != null) {
            open.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Connections closed because their client was over the cap, since start. */
    public long refused() {
        return refused.get();
    }

    private static InetAddress client(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
