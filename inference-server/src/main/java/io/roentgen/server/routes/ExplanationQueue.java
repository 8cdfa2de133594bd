package io.roentgen.server.routes;

import ai.djl.Device;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.DutyCycle;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.Explainer;
import io.roentgen.models.explain.Explanation;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.server.repository.ServedModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Explanations on their own worker and bounded queue, apart from the models' batchers: a burst of
 * explain requests fills this queue and gets 503, while classify requests keep their own queues
 * and replicas. One worker thread owns one {@link Explainer} per served model version (loaded on
 * first use from the version's bundle, on the device of the version's first replica: a GPU
 * server explains on its GPU, as it classifies): explainers, like classifiers, are not
 * thread-safe, and a gradient pass holds activations the batchers should not compete with. The
 * worker thread ends after {@value #IDLE_SECONDS} s without work (a later explanation starts a
 * new one): its OpenMP pool ends with it, and the batchers' pools spin again
 * (docs/DECISIONS.md, "One OpenMP pool per serving thread").
 *
 * <p>A bounded queue limits how many explanations wait, not how much of the machine they take:
 * with clients waiting, one worker explaining without pause held classification's p50 at twice its
 * value on 2 cores. So the worker keeps to a {@link DutyCycle}: after each explanation it rests in
 * proportion to the time the explanation took, before taking the next one.
 */
public final class ExplanationQueue implements AutoCloseable {
    /** Requests waiting beyond the one being explained. */
    public static final int DEFAULT_CAPACITY = 8;
    static final int IDLE_SECONDS = 2;

    private final ThreadPoolExecutor worker;
    private final ExplainerLoader loader;
    private final DutyCycle dutyCycle;
    private final Rest rest;
    /** Set by {@link #close}: what is still queued is finished without rests. */
    private volatile boolean closing;
    // Touched by one worker thread at a time; concurrent only because successive workers are different threads.
    private final Map<String, Explainer> explainers = new ConcurrentHashMap<>();

    /** How an explainer is loaded: {@link Explainer#load}; tests record what it is given. */
    @FunctionalInterface
    interface ExplainerLoader {
        Explainer load(Path bundle, Device device, String layer) throws RoentgenException;
    }

    /** How the worker rests between explanations: {@link TimeUnit#sleep}; tests record the pauses. */
    @FunctionalInterface
    interface Rest {
        void nanos(long pause) throws InterruptedException;
    }

    /** A queue whose worker explains for at most {@code share} of its wall time. */
    public ExplanationQueue(int capacity, double share) {
        this(capacity, share, Explainer::load, TimeUnit.NANOSECONDS::sleep);
    }

    /** A queue whose worker never rests (tests of what is explained, not of pacing). */
    ExplanationQueue(int capacity, ExplainerLoader loader) {
        this(capacity, 1.0, loader, TimeUnit.NANOSECONDS::sleep);
    }

    ExplanationQueue(int capacity, double share, ExplainerLoader loader, Rest rest) {
        this.loader = loader;
        this.dutyCycle = new DutyCycle(share);
        this.rest = rest;
        this.worker = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity), r -> {
            Thread t = new Thread(r, "roentgen-explain");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.worker.allowCoreThreadTimeOut(true);
    }

    /** An explanation and, when one was asked for, its DICOM object (else null). */
    public record Explained(Explanation explanation, DicomObject dicom) {}

    /**
     * Queues one explanation and, with {@code kind} (else null), its SC or SEG of {@code source}
     * (made on the worker, which owns the explainer and the bundle's codes).
     *
     * @throws RejectedExecutionException when the queue is full (or closed)
     */
    public CompletableFuture<Explained> submit(ServedModel model, DicomObject source, FloatImage image, CamMethod method,
            String label, ExplanationDicom kind) {
        CompletableFuture<Explained> result = new CompletableFuture<>();
        worker.execute(() -> {
            if (result.isCancelled()) {
                return; // its request gave up (deadline passed) while it waited
            }
            long busy = 0;
            try {
                Explainer explainer = explainer(model); // a first load is not paced: it is not explaining
                long start = System.nanoTime();
                Explanation e = explainer.explain(image, method, label);
                Explained explained = new Explained(e, kind == null ? null : kind.of(source, image, e, explainer));
                busy = System.nanoTime() - start;
                result.complete(explained);
            } catch (RoentgenException | RuntimeException e) {
                result.completeExceptionally(e);
            }
            restAfter(busy);
        });
        return result;
    }

    /** Rests after the answer has gone, so the pause delays the next explanation, not this one. */
    private void restAfter(long busyNanos) {
        long pause = dutyCycle.restAfter(busyNanos);
        if (pause > 0 && !closing) {
            try {
                rest.nanos(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Explainer explainer(ServedModel model) throws RoentgenException {
        String key = model.name() + "/" + model.version();
        Explainer explainer = explainers.get(key);
        if (explainer == null) {
            explainer = loader.load(model.directory(), model.device(), null);
            explainers.put(key, explainer);
        }
        return explainer;
    }

    /** Stops taking work, finishes what was queued, and releases the explainers. */
    @Override
    public void close() {
        closing = true;
        worker.shutdown();
        try {
            if (worker.awaitTermination(30, TimeUnit.SECONDS)) {
                explainers.values().forEach(Explainer::close);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
