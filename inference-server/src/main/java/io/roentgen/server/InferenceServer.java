package io.roentgen.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.roentgen.engine.RoentgenException;
import io.roentgen.server.http.BodyTooLargeException;
import io.roentgen.server.http.MalformedMultipartException;
import io.roentgen.server.http.MultipartRelatedReader;
import io.roentgen.server.http.Responses;
import io.roentgen.server.metrics.ServerMetrics;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.results.ResultStore;
import io.roentgen.server.routes.DicomRoutes;
import io.roentgen.server.routes.KServeV2Routes;
import io.roentgen.server.routes.StowRsRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Roentgen's inference server: a Javalin (Jetty) app over a {@link ModelRepository} of
 * dynamically batched models, speaking KServe v2, DICOM classification, DICOMweb STOW-RS and
 * Prometheus. {@link #start()} loads every model and binds; {@link #stop()} stops taking
 * requests, answers everything already taken, then closes the models.
 */
public final class InferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
    /** One line per request: method, route template, status, milliseconds. Never paths, queries or UIDs. */
    private static final Logger ACCESS = LoggerFactory.getLogger("io.roentgen.server.access");
    private static final long DRAIN_POLL_MILLIS = 10;

    private final ServerConfig config;
    private final ServerMetrics metrics = new ServerMetrics();
    private final ModelRepository repository;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean accepting;
    private int boundPort;
    private ResultStore results;
    private Javalin app;

    public InferenceServer(ServerConfig config, ModelFormats formats) {
        this.config = config;
        this.repository = new ModelRepository(config.modelRepository(), formats, config.devices(),
                new ModelRepository.BatchSettings(config.batchSizes(), TimeUnit.MILLISECONDS.toNanos(config.maxQueueDelayMs()),
                        config.queueCapacity(), config.warmup(),
                        TimeUnit.MILLISECONDS.toNanos(config.keepWarmMs())), metrics);
    }

    /** Loads every model, then listens. */
    public synchronized InferenceServer start() throws RoentgenException {
        try {
            results = new ResultStore(config.resultsCapacity(), config.resultsFile());
        } catch (IOException e) {
            throw new RoentgenException("cannot open the results file " + config.resultsFile() + ": " + e.getMessage());
        }
        repository.loadAll();
        app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.jetty.defaultHost = config.host();
            javalin.jetty.defaultPort = config.port();
            javalin.http.maxRequestSize = config.maxBodyBytes();
            javalin.requestLogger.http(this::logRequest);
        });
        app.before(this::admit);
        new KServeV2Routes(repository, () -> accepting, config.timeoutMs(), config.maxBodyBytes()).register(app);
        new DicomRoutes(repository, results, metrics, config.timeoutMs(), config.maxBodyBytes()).register(app);
        new StowRsRoutes(repository, results, metrics, config.stowModel(), config.timeoutMs(), config.maxBodyBytes()).register(app);
        app.get("/metrics", ctx -> ctx.contentType(ServerMetrics.contentType())
                .result(metrics.scrape(repository, config.devices())));
        registerErrors(app);
        try {
            app.start();
        } catch (RuntimeException e) {
            repository.close();
            throw new RoentgenException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage());
        }
        boundPort = app.port();
        accepting = true;
        LOG.info("serving {} model(s) on http://{}:{}", repository.served().size(), config.host(), port());
        return this;
    }

    /** The port it listens (or listened) on. */
    public int port() {
        return boundPort;
    }

    public ModelRepository repository() {
        return repository;
    }

    /**
     * Graceful stop: new requests get 503, requests already taken (and everything the batchers
     * queued for them) are answered, then the models close and the port is released.
     */
    public void stop() {
        synchronized (this) {
            if (!accepting) {
                return;
            }
            accepting = false;
        }
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.timeoutMs() + 1000);
        while (inFlight.get() > 0 && System.nanoTime() < giveUp) {
            sleep(DRAIN_POLL_MILLIS);
        }
        long drained = System.nanoTime();
        repository.close();
        app.stop();
        LOG.debug("drained in {} ms", (System.nanoTime() - drained) / 1_000_000);
        try {
            results.close();
        } catch (IOException e) {
            LOG.warn("cannot close the results file: {}", e.getMessage());
        }
        stopped.countDown();
        LOG.info("stopped");
    }

    /** Blocks until {@link #stop()} finished. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        stop();
    }

    private void admit(Context ctx) throws ApiException {
        inFlight.incrementAndGet();
        if (!accepting) {
            throw new ApiException(503, "the server is shutting down", 1, null);
        }
        if (config.authToken() != null && !ctx.path().startsWith("/v2/health/") && !authorized(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "missing or wrong bearer token");
        }
    }

    private boolean authorized(String header) {
        String prefix = "Bearer ";
        if (header == null || !header.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return false;
        }
        // Constant-time comparison: the token must not leak through response timing.
        return MessageDigest.isEqual(header.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8),
                config.authToken().getBytes(StandardCharsets.UTF_8));
    }

    private void registerErrors(Javalin javalin) {
        javalin.exception(ApiException.class, (e, ctx) -> {
            LOG.debug("{} {} answered {}: {}", ctx.method(), route(ctx), e.status(), e.getMessage());
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
            }
            Responses.error(ctx, e.status(), e.getMessage());
        });
        javalin.exception(BodyTooLargeException.class, (e, ctx) -> Responses.error(ctx, 413, e.getMessage()));
        javalin.exception(MultipartRelatedReader.PartTooLargeException.class, (e, ctx) -> Responses.error(ctx, 413, e.getMessage()));
        javalin.exception(MalformedMultipartException.class, (e, ctx) -> {
            LOG.debug("{} {}: malformed multipart body: {}", ctx.method(), route(ctx), e.getMessage());
            Responses.error(ctx, 400, "malformed multipart body: " + e.getMessage());
        });
        javalin.exception(IOException.class, (e, ctx) -> {
            LOG.debug("{} {}: cannot read the request body", ctx.method(), route(ctx), e);
            Responses.error(ctx, 400, "cannot read the request body: " + e.getMessage());
        });
        javalin.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure on {} {}", ctx.method(), route(ctx), e);
            Responses.error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
        });
        javalin.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
                Responses.error(ctx, 404, "no route " + ctx.method() + " " + ctx.path());
            }
        });
        javalin.error(405, ctx -> Responses.error(ctx, 405, "method " + ctx.method() + " not allowed here"));
    }

    /** Access log and request metrics: route template and status only, never UIDs or query strings. */
    private void logRequest(Context ctx, Float millis) {
        inFlight.decrementAndGet();
        String route = route(ctx);
        metrics.requestDone(ctx.method().name(), route, ctx.statusCode(), millis / 1000.0);
        ACCESS.info("{} {} {} {} ms", ctx.method(), route, ctx.statusCode(), String.format("%.1f", millis));
    }

    /** The matched path template ("unmatched" when no endpoint was reached): no UIDs in logs or labels. */
    private static String route(Context ctx) {
        try {
            String route = ctx.endpointHandlerPath();
            return route == null || route.isEmpty() || route.equals("*") ? "unmatched" : route;
        } catch (IllegalStateException e) {
            return "unmatched"; // the request ended in a before-handler (401, 503)
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
