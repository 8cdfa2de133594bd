package io.roentgen.benchmarks.serve;

import io.roentgen.engine.RoentgenException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The project's one HTTP load generator: closed-loop clients against
 * {@code POST /v1/models/M/classify}. Each of C clients sends a DICOM instance (round robin over
 * the bodies), waits for the answer and sends the next, until the run's time is up. It speaks
 * plain HTTP/1.1 unless given HTTP/2: Java's client otherwise asks every server for an h2c
 * upgrade, which servers such as uvicorn answer with 400, so it could not load them.
 */
public final class HttpLoad {
    /** At most this much DICOM is held in memory as request bodies. */
    static final long MAX_BODY_BYTES = 512L << 20;

    /**
     * Results of one run: the latencies of the 200 answers, the other answers by status (0: no
     * HTTP answer, a transport error), and the transport errors by cause ({@link #cause}).
     */
    public record Run(double[] latenciesMs, Map<Integer, Integer> errors, Map<String, Integer> transportErrors) {}

    /** Longest cause text kept per transport error: the exception's class and message, not a stack. */
    static final int MAX_CAUSE_CHARS = 200;

    private final URI target;
    private final String token;
    private final List<byte[]> bodies;
    private final HttpClient.Version version;
    /** For an https:// target whose certificate the JDK's CAs do not cover; null: the JDK's defaults. */
    private SSLContext ssl;
    /** Built at the first run, from {@link #ssl} as it is then. */
    private HttpClient http;

    /** {@code token} is a bearer token or null. */
    public HttpLoad(URI target, String token, List<byte[]> bodies, HttpClient.Version version) {
        if (bodies.isEmpty()) {
            throw new IllegalArgumentException("no request bodies");
        }
        this.target = target;
        this.token = token;
        this.bodies = List.copyOf(bodies);
        this.version = version;
    }

    /** Trusts the CA certificates of a PEM file (a test CA, say) for an https:// target, instead of the JDK's. */
    public HttpLoad trustingCa(Path caPem) throws RoentgenException {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trustManagers.getTrustManagers(), null);
            http = null;
            return this;
        } catch (IOException | GeneralSecurityException e) {
            throw RoentgenException.usage("cannot read the CA certificates in " + caPem + ": " + e.getMessage());
        }
    }

    /** The classify route of {@code model} under a server's base URL. */
    public static URI classifyUri(String baseUrl, String model) {
        return URI.create(baseUrl.replaceAll("/+$", "") + "/v1/models/" + model + "/classify");
    }

    /** The files' bytes, up to {@link #MAX_BODY_BYTES} in all: enough variety, bounded memory. */
    public static List<byte[]> readBodies(List<Path> files) throws RoentgenException {
        List<byte[]> bodies = new ArrayList<>();
        long total = 0;
        for (Path f : files) {
            try {
                long size = Files.size(f);
                if (total + size > MAX_BODY_BYTES) {
                    break;
                }
                bodies.add(Files.readAllBytes(f));
                total += size;
            } catch (IOException e) {
                throw new RoentgenException(f + ": cannot read: " + e.getMessage());
            }
        }
        if (bodies.isEmpty()) {
            throw new RoentgenException("no DICOM files in " + files);
        }
        return bodies;
    }

    /** For each client count: one unmeasured warm-up run, then {@code repetitions} measured runs. */
    public List<LoadRow> sweep(List<Integer> clientCounts, Duration warmUp, Duration measured, int repetitions)
            throws InterruptedException {
        List<LoadRow> rows = new ArrayList<>();
        for (int clients : clientCounts) {
            run(clients, warmUp);
            List<Run> runs = new ArrayList<>();
            for (int r = 0; r < repetitions; r++) {
                runs.add(run(clients, measured));
            }
            rows.add(LoadRow.of(clients, runs, measured));
        }
        return rows;
    }

    /**
     * {@code clients} closed-loop clients for {@code length}, each with its own thread, one HTTP
     * client shared by them and by every run of this load.
     */
    public Run run(int clients, Duration length) throws InterruptedException {
        HttpClient client = client();
        long deadline = System.nanoTime() + length.toNanos();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Run>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> client(client, next, deadline)));
        }
        List<double[]> latencies = new ArrayList<>();
        Map<Integer, Integer> errors = new TreeMap<>();
        Map<String, Integer> causes = new TreeMap<>();
        try {
            for (Future<Run> f : futures) {
                Run r = f.get();
                latencies.add(r.latenciesMs());
                r.errors().forEach((status, n) -> errors.merge(status, n, Integer::sum));
                r.transportErrors().forEach((cause, n) -> causes.merge(cause, n, Integer::sum));
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("load client failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Run(latencies.stream().flatMapToDouble(java.util.Arrays::stream).toArray(), errors, causes);
    }

    /**
     * The HTTP client of every run: its keep-alive connections carry over from the warm-up to the
     * measured runs. A client per run left the previous runs' connections open (Java's client
     * keeps idle ones for 20 minutes and cannot be closed in Java 17), so a sweep piled them up
     * until the server's per-client connection cap closed new ones (docs/DECISIONS.md 92).
     */
    private synchronized HttpClient client() {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(10));
            http = (ssl == null ? builder : builder.sslContext(ssl)).build();
        }
        return http;
    }

    /** One client: send, wait, repeat until the deadline. */
    private Run client(HttpClient http, AtomicInteger next, long deadline) {
        List<Double> latencies = new ArrayList<>();
        Map<Integer, Integer> errors = new TreeMap<>();
        Map<String, Integer> causes = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            byte[] body = bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()));
            long t0 = System.nanoTime();
            int status;
            try {
                status = http.send(request(body), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = 0;
                causes.merge(cause(e), 1, Integer::sum);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (status == 200) {
                latencies.add((System.nanoTime() - t0) / 1e6);
            } else {
                errors.merge(status, 1, Integer::sum);
            }
        }
        return new Run(latencies.stream().mapToDouble(Double::doubleValue).toArray(), errors, causes);
    }

    /**
     * What a transport error says, for counting like errors together: the exception and, where
     * Java's client wraps another (an SSLException, a reset), the innermost one too.
     */
    static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // Java's client rethrows a copy of the failure with the original as its cause: say it once
        String text = root == e || root.toString().equals(e.toString()) ? e.toString() : e + " <- " + root;
        return text.length() <= MAX_CAUSE_CHARS ? text : text.substring(0, MAX_CAUSE_CHARS) + "...";
    }

    private HttpRequest request(byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/dicom").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }
}
