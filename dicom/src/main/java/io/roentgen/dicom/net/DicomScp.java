package io.roentgen.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The DICOM node: a Verification and Storage SCP on one TCP port. Each connection gets a thread;
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
    private final ServerSocket server;
    private final Semaphore connections;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private DicomScp(ScpConfig config, Spool spool, InstanceListener listener) throws IOException {
        this.config = config;
        this.spool = spool;
        this.listener = listener;
        this.connections = new Semaphore(config.maxAssociations() + REJECT_SLOTS);
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), 128);
        this.acceptor = new Thread(this::acceptLoop, "dicom-scp-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    /** Binds the port and starts accepting. */
    public static DicomScp start(ScpConfig config, InstanceListener listener) throws IOException {
        DicomScp scp = new DicomScp(config, new Spool(config.spool(), config.minFreeBytes()), listener);
        scp.acceptor.start();
        LOG.log(System.Logger.Level.INFO, "DICOM SCP " + config.aeTitle() + " listening on " + config.host() + ":" + scp.port());
        return scp;
    }

    public int port() {
        return server.getLocalPort();
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

    private void acceptLoop() {
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
            serve(socket);
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
        closeQuietly(server);
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        join(acceptor);
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
