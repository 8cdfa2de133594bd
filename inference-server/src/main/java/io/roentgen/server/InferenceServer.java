package io.roentgen.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.server.admission.MemoryBudget;
import io.roentgen.server.admission.MemoryRefusedException;
import io.roentgen.server.admission.RequestMemory;
import io.roentgen.server.batching.BatchFailure;
import io.roentgen.server.http.ApiException;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.http.BodyTooLargeException;
import io.roentgen.server.http.HttpEdge;
import io.roentgen.server.http.MalformedMultipartException;
import io.roentgen.server.http.MultipartRelatedReader;
import io.roentgen.server.http.Responses;
import io.roentgen.server.http.UnreadableBodyException;
import io.roentgen.server.metrics.Exposition;
import io.roentgen.server.metrics.ServerMetrics;
import io.roentgen.server.metrics.ServerReadings;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.RepositoryException;
import io.roentgen.server.repository.ServedModel;
import io.roentgen.server.results.ResultStore;
import io.roentgen.server.routes.DicomRoutes;
import io.roentgen.server.routes.ExplainRoutes;
import io.roentgen.server.routes.ExplanationEmitter;
import io.roentgen.server.routes.ExplanationQueue;
import io.roentgen.server.routes.FailureStatus;
import io.roentgen.server.routes.KServeV2Routes;
import io.roentgen.server.routes.StowRsRoutes;
import io.roentgen.server.security.AccessControl;
import io.roentgen.server.security.AccessDenied;
import io.roentgen.server.security.AccessGate;
import io.roentgen.server.security.AuditLog;
import io.roentgen.server.security.Role;
import io.roentgen.server.security.SecuritySettings;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
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
    private static final String BODY_PERMIT = "roentgen.bodyPermit";
    /** A stop closes idle connections once no request has arrived for this long... */
    private static final long QUIET_MILLIS = 250;
    /** ...or after this long at most. */
    private static final long MAX_LINGER_MILLIS = 3000;

    private final ServerConfig config;
    private final ServerMetrics metrics = new ServerMetrics();
    private final ModelRepository repository;
    /** Explanations' own worker, bounded queue and share of time, so that they never hold up classification. */
    private final ExplanationQueue explanations;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final MemoryBudget memory;
    private final HttpEdge edge;
    /** Permits for requests that read a body; the rest of Jetty's threads stay free for the light routes. */
    private final Semaphore bodyReaders;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean accepting;
    private volatile long lastRequestNanos = System.nanoTime();
    private int boundPort;
    private ResultStore results;
    private ResultExporter srExporter;
    private ExplanationDicom explanationKind;
    private ExplanationEmitter explanationEmitter;
    private AuditLog audit;
    private Javalin app;

    public InferenceServer(ServerConfig config, ModelFormats formats) {
        this.config = config;
        this.repository = new ModelRepository(config.modelRepository(), formats, config.devices(),
                new ModelRepository.BatchSettings(config.batchSizes(), TimeUnit.MILLISECONDS.toNanos(config.maxQueueDelayMs()),
                        config.queueCapacity(), config.warmup(),
                        TimeUnit.MILLISECONDS.toNanos(config.keepWarmMs())), metrics);
        this.explanations = new ExplanationQueue(ExplanationQueue.DEFAULT_CAPACITY, config.limits().explainShare());
        this.memory = new MemoryBudget(config.limits().memoryBudget());
        this.edge = new HttpEdge(config.limits());
        this.bodyReaders = new Semaphore(config.limits().maxBodyReaders());
        metrics.watch(repository, config.devices(), new ServerReadings(inFlight::get, memory::used, memory::capacity,
                () -> edge.perClient().refused()));
    }

    /**
     * With {@code --emit-sr}: the classify and STOW-RS routes send each study's SR through this
     * exporter (which its creator closes after {@link #stop()}: other entry paths may share it).
     * Call before {@link #start()}.
     */
    public synchronized InferenceServer emitSr(ResultExporter exporter) {
        this.srExporter = exporter;
        return this;
    }

    /**
     * With {@code --emit-explanation}: every instance whose SR {@link #emitSr} sends also gets its
     * Grad-CAM map as an SC or SEG, through the same exporter. Call before {@link #start()}.
     */
    public synchronized InferenceServer emitExplanations(ExplanationDicom kind) {
        this.explanationKind = kind;
        return this;
    }

    /** Loads every model, then listens. */
    public synchronized InferenceServer start() throws RoentgenException {
        try {
            results = new ResultStore(config.resultsCapacity(), config.resultsFile());
        } catch (IOException e) {
            throw new RoentgenException("cannot open the results file " + config.resultsFile() + ": " + e.getMessage());
        }
        openSecurity(config.security());
        if (srExporter != null) {
            metrics.watchOutbox(srExporter::pendingCount);
            metrics.watchSrQueueFailures(srExporter::queueFailures);
            if (explanationKind != null) {
                explanationEmitter = new ExplanationEmitter(explanations, srExporter, explanationKind);
            }
        }
        repository.loadAll();
        requireStowModel();
        app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            edge.configure(javalin, config.host(), config.port());
            javalin.http.maxRequestSize = config.maxBodyBytes();
            javalin.requestLogger.http(this::logRequest);
        });
        app.before(this::admit);
        app.beforeMatched(new AccessGate(new AccessControl(config.security().tokens())));
        new KServeV2Routes(repository, explanations, () -> accepting, config.timeoutMs(), config.maxBodyBytes()).register(app);
        new DicomRoutes(repository, results, metrics, config.timeoutMs(), config.maxBodyBytes(), srExporter)
                .withExplanations(explanationEmitter).register(app);
        new StowRsRoutes(repository, results, metrics, config.stowModel(), config.timeoutMs(), config.maxBodyBytes(), srExporter)
                .withExplanations(explanationEmitter).register(app);
        new ExplainRoutes(repository, explanations, config.timeoutMs(), config.maxBodyBytes()).register(app);
        app.get("/metrics", ctx -> {
            Exposition exposition = metrics.scrape(ctx.header("Accept"));
            ctx.contentType(exposition.contentType()).result(exposition.body());
        }, Role.METRICS);
        registerErrors(app);
        try {
            app.start();
        } catch (RuntimeException e) {
            closeEmitter();
            explanations.close();
            repository.close();
            closeAudit();
            throw new RoentgenException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage());
        }
        boundPort = app.port();
        accepting = true;
        LOG.info("serving {} model(s) on {}://{}:{}", repository.served().size(), scheme(), config.host(), port());
        return this;
    }

    /** Reads the TLS files and opens the audit log before anything loads, so that a bad file fails fast. */
    private void openSecurity(SecuritySettings security) throws RoentgenException {
        try {
            if (security.tls() != null) {
                edge.tls(security.tls());
            }
            if (security.auditLog() != null) {
                audit = AuditLog.open(security.auditLog(), security.auditKeyFile());
            }
        } catch (IOException | GeneralSecurityException e) {
            closeResults();
            throw RoentgenException.usage("cannot set up TLS or the audit log: " + e.getMessage());
        }
    }

    /** "https" when serving TLS, else "http". */
    public String scheme() {
        return edge.scheme();
    }

    /** A STOW-RS model that is not in the repository would refuse every push: fail at start instead. */
    private void requireStowModel() throws RoentgenException {
        String stowModel = config.stowModel();
        List<String> names = repository.served().stream().map(ServedModel::name).toList();
        if (stowModel != null && !names.contains(stowModel)) {
            repository.close();
            closeResults();
            closeAudit();
            throw RoentgenException.usage("the STOW-RS model '" + stowModel + "' is not in the repository "
                    + config.modelRepository() + " (models: " + String.join(", ", names) + ")");
        }
    }

    /** The port it listens (or listened) on. */
    public int port() {
        return boundPort;
    }

    /** The metrics /metrics exposes; components beside the HTTP server (the DICOM node) register theirs here. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** Stops the explanation emitter (before the queue it feeds); explanations still waiting are not sent. */
    private void closeEmitter() {
        if (explanationEmitter != null) {
            try {
                explanationEmitter.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The explanation emitter of {@code --emit-explanation}, or null. */
    public synchronized ExplanationEmitter explanationEmitter() {
        return explanationEmitter;
    }

    /** The SR exporter of {@code --emit-sr}, or null: the DICOM node emits through the same one. */
    public synchronized ResultExporter srExporter() {
        return srExporter;
    }

    /** Where every entry path (HTTP, STOW-RS, DIMSE) records its results. */
    public ResultStore results() {
        return results;
    }

    public ServerConfig config() {
        return config;
    }

    public ModelRepository repository() {
        return repository;
    }

    /**
     * Graceful stop. Readiness turns 503 at once, and every request that arrives, on a new
     * connection or an open one, gets 503 with {@code Connection: close}, while the requests
     * already taken (and everything the batchers queued for them) are answered. Then the port
     * stops taking connections (a client's connect is refused, which it can tell from a lost
     * request), and idle keep-alive connections are closed only after a quiet moment, so a request
     * sent on one just before is answered rather than cut off. Then the models close.
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
        closeListener();
        long lingerUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_LINGER_MILLIS);
        while ((inFlight.get() > 0 || System.nanoTime() - lastRequestNanos < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS))
                && System.nanoTime() < lingerUntil) {
            sleep(DRAIN_POLL_MILLIS);
        }
        long drained = System.nanoTime();
        closeEmitter();
        explanations.close();
        repository.close();
        app.stop();
        LOG.debug("drained in {} ms", (System.nanoTime() - drained) / 1_000_000);
        closeResults();
        closeAudit();
        stopped.countDown();
        LOG.info("stopped");
    }

    private void closeResults() {
        try {
            results.close();
        } catch (IOException e) {
            LOG.warn("cannot close the results file: {}", e.getMessage());
        }
    }

    private void closeAudit() {
        try {
            if (audit != null) {
                audit.close();
            }
        } catch (IOException e) {
            LOG.warn("cannot close the audit log: {}", e.getMessage());
        }
    }

    /** Closes the listening socket only: open connections stay until they are idle. */
    private void closeListener() {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof NetworkConnector network) {
                network.close();
            }
        }
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
        lastRequestNanos = System.nanoTime();
        RequestMemory.attach(ctx, memory.open());
        if (!accepting) {
            // The client learns that this connection ends here and reconnects elsewhere.
            ctx.header("Connection", "close");
            throw new ApiException(503, "the server is shutting down", 1, null);
        }
        if (readsBody(ctx)) {
            if (!bodyReaders.tryAcquire()) {
                throw new ApiException(503, "too many requests are sending bodies now; retry shortly", 1, null);
            }
            ctx.attribute(BODY_PERMIT, Boolean.TRUE);
        }
    }

    private static boolean readsBody(Context ctx) {
        return ctx.method() == HandlerType.POST || ctx.method() == HandlerType.PUT;
    }

    /** Gives back what {@link #admit} took: the memory reservation and the body-reader permit. */
    private void release(Context ctx) {
        RequestMemory.release(ctx);
        if (ctx.attribute(BODY_PERMIT) != null) {
            ctx.attribute(BODY_PERMIT, null);
            bodyReaders.release();
        }
    }

    private void registerErrors(Javalin javalin) {
        javalin.exception(ApiException.class, (e, ctx) -> answer(ctx, e));
        javalin.exception(AccessDenied.class, (e, ctx) -> {
            if (e instanceof AccessDenied.Unauthenticated) {
                ctx.header("WWW-Authenticate", "Bearer");
            }
            answer(ctx, FailureStatus.of(e));
        });
        // What the layers below report in their own terms; routes.FailureStatus gives the status.
        javalin.exception(RepositoryException.class, (e, ctx) -> answer(ctx, FailureStatus.of(e)));
        javalin.exception(BatchFailure.class, (e, ctx) -> answer(ctx, FailureStatus.of(e)));
        javalin.exception(MemoryRefusedException.class, (e, ctx) -> answer(ctx, FailureStatus.of(e)));
        javalin.exception(BodyTooLargeException.class, (e, ctx) -> Responses.error(ctx, 413, e.getMessage()));
        javalin.exception(MultipartRelatedReader.PartTooLargeException.class, (e, ctx) -> Responses.error(ctx, 413, e.getMessage()));
        javalin.exception(MalformedMultipartException.class, (e, ctx) -> {
            LOG.debug("{} {}: malformed multipart body: {}", ctx.method(), route(ctx), e.getMessage());
            Responses.error(ctx, 400, "malformed multipart body: " + e.getMessage());
        });
        javalin.exception(UnreadableBodyException.class, (e, ctx) -> {
            LOG.debug("{} {}: {}", ctx.method(), route(ctx), e.getMessage());
            ctx.header("Connection", "close");
            Responses.error(ctx, e.status(), e.getMessage());
        });
        javalin.exception(BadMessageException.class, (e, ctx) -> {
            // Jetty's word on the request itself: bad chunking, a body too slow or too short.
            int status = e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 400;
            LOG.debug("{} {}: bad request message: {}", ctx.method(), route(ctx), e.getReason());
            ctx.header("Connection", "close");
            Responses.error(ctx, status, "bad request: " + e.getReason());
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

    private static void answer(Context ctx, ApiException e) {
        LOG.debug("{} {} answered {}: {}", ctx.method(), route(ctx), e.status(), e.getMessage());
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        Responses.error(ctx, e.status(), e.getMessage());
    }

    /** Access log and request metrics: route template and status only, never UIDs or query strings. */
    private void logRequest(Context ctx, Float millis) {
        release(ctx);
        inFlight.decrementAndGet();
        String route = route(ctx);
        metrics.requestDone(ctx.method().name(), route, ctx.statusCode(), millis / 1000.0);
        ACCESS.info("{} {} {} {} ms", ctx.method(), route, ctx.statusCode(), String.format("%.1f", millis));
        if (audit != null) {
            try {
                audit.request(ctx, route);
            } catch (IOException e) {
                LOG.error("cannot write the audit log: {}", e.getMessage());
            }
        }
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
