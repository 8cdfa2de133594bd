package io.roentgen.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The DICOM node: a Verification and Storage SCP on one or more TCP ports ({@link Endpoint}s:
 * plain, or DICOM TLS), sharing one spool and one association limit. Each connection gets a thread;
 * at most {@code maxAssociations} are associated at once, a few more connections may wait to be
 * told so (a transient A-ASSOCIATE-RJ), and past that a connection is closed at once, so a flood
 * cannot make threads without bound.
 */
public final class DicomScp implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DicomScp.class.getName());
    /** Connections beyond the association limit that still get a proper reject. */
    private static final int REJECT_SLOTS = 8;

    private final ScpConfig config;
    private final Spool spool;
    private final InstanceListener listener;
    private final ScpMetrics metrics = new ScpMetrics();
    private final List<ServerSocket> servers = new ArrayList<>();
    private final List<Endpoint> endpoints;
    private final Semaphore connections;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private final List<Thread> acceptors = new ArrayList<>();
    private volatile boolean closed;

    private DicomScp(ScpConfig config, Spool spool, InstanceListener listener, List<Endpoint> endpoints) throws IOException {
        this.config = config;
        this.spool = spool;
        this.listener = listener;
        this.endpoints = List.copyOf(endpoints);
        this.connections = new Semaphore(config.maxAssociations() + REJECT_SLOTS);
        try {
            for (Endpoint endpoint : this.endpoints) {
                ServerSocket server = new ServerSocket();
                servers.add(server);
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(InetAddress.getByName(config.host()), endpoint.port()), 128);
                Thread acceptor = new Thread(() -> acceptLoop(server, endpoint.tls()), "dicom-scp-accept-" + server.getLocalPort());
                acceptor.setDaemon(true);
                acceptors.add(acceptor);
            }
        } catch (IOException | RuntimeException e) {
            servers.forEach(DicomScp::closeQuietly);
            throw e;
        }
    }

    /** Binds {@code config.port()} (plain TCP) and starts accepting. */
    public static DicomScp start(ScpConfig config, InstanceListener listener) throws IOException {
        return start(config, listener, List.of(Endpoint.plain(config.port())));
    }

    /** Binds every endpoint (at least one; {@code config.port()} is not used) and starts accepting. */
    public static DicomScp start(ScpConfig config, InstanceListener listener, List<Endpoint> endpoints) throws IOException {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("the SCP needs at least one port");
        }
        DicomScp scp = new DicomScp(config, new Spool(config.spool(), config.minFreeBytes()), listener, endpoints);
        scp.acceptors.forEach(Thread::start);
        for (int i = 0; i < scp.servers.size(); i++) {
            LOG.log(System.Logger.Level.INFO, "DICOM SCP " + config.aeTitle() + " listening on " + config.host() + ":"
                    + scp.servers.get(i).getLocalPort() + (endpoints.get(i).tls() == null ? "" : " (DICOM TLS)"));
        }
        return scp;
    }

    /** The first endpoint's bound port. */
    public int port() {
        return servers.get(0).getLocalPort();
    }

    /** The bound port of the first DICOM TLS endpoint, or -1 when there is none. */
    public int tlsPort() {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).tls() != null) {
                return servers.get(i).getLocalPort();
            }
        }
        return -1;
    }

    public ScpMetrics metrics() {
        return metrics;
    }

    public Spool spool() {
        return spool;
    }

    /** Threads serving connections now (for leak checks). */
    public int activeConnections() {
        return threads.size();
    }

    private void acceptLoop(ServerSocket server, DicomTls tls) {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "accept failed: " + e);
                }
                continue;
            }
            if (!connections.tryAcquire()) {
                closeQuietly(socket); // past even the reject slots: no thread for it
                continue;
            }
            try {
                serve(tls == null ? socket : tls.accept(socket));
            } catch (IOException | RuntimeException e) {
                // no TLS context (a reload that never loaded): this connection only
                LOG.log(System.Logger.Level.WARNING, "cannot start TLS on a connection: " + e);
                closeQuietly(socket);
                connections.release();
            }
        }
    }

    private void serve(Socket socket) {
        Association.Limit limit = new Association.Limit() {
            @Override
            public boolean tryOpen() {
                if (metrics.openCounter().incrementAndGet() > config.maxAssociations()) {
                    metrics.openCounter().decrementAndGet();
                    return false;
                }
                return true;
            }

            @Override
            public void close() {
                metrics.openCounter().decrementAndGet();
            }
        };
        Association association = new Association(socket, config, spool, listener, metrics, limit);
        Thread t = new Thread(() -> {
            try {
                association.run();
            } finally {
                sockets.remove(socket);
                threads.remove(Thread.currentThread());
                connections.release();
            }
        }, "dicom-scp-association-" + counter.incrementAndGet());
        t.setDaemon(true);
        sockets.add(socket);
        threads.add(t);
        if (closed) {
            closeQuietly(socket);
        }
        t.start();
    }

    /** Stops accepting, closes every connection and waits for their threads. */
    @Override
    public void close() {
        closed = true;
        servers.forEach(DicomScp::closeQuietly);
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        acceptors.forEach(DicomScp::join);
        for (Thread t : threads) {
            join(t);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
