package io.roentgen.server.batching;

import io.roentgen.datasets.transform.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.Scores;
import io.roentgen.server.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Dynamic batching for one model version: requests wait in one bounded queue; one worker thread
 * per replica (one per device, each with its own classifier, since DJL predictors are not
 * thread-safe) takes the oldest request, waits up to {@code maxQueueDelay} from that request's
 * arrival for more (never past {@code maxBatchSize}), runs one forward pass and completes each
 * request's future. Replicas share the queue, so a free device takes the next batch. With
 * preferred batch sizes ({@link BatchSizes}) a batch is padded up to the next of them and the
 * padded rows' scores are dropped, so the model only ever sees a few shapes.
 */
public final class DynamicBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final String model;
    private final String version;
    private final BatchSizes sizes;
    private final int maxBatchSize;
    private final long maxQueueDelayNanos;
    private final BlockingQueue<Pending> queue;
    private final BatchListener listener;
    private final List<Thread> workers = new ArrayList<>();
    private final List<Classifier> replicas;
    // Submitters hold the read lock while offering, close() takes the write lock to stop
    // accepting: no request can slip into the queue after the workers were told to drain it.
    private final ReadWriteLock acceptLock = new ReentrantReadWriteLock();
    private volatile boolean accepting = true;

    private record Pending(FloatImage image, long submittedNanos, long deadlineNanos, CompletableFuture<Prediction> result) {}

    public DynamicBatcher(String model, String version, List<Classifier> replicas, BatchSizes sizes,
            long maxQueueDelayNanos, int queueCapacity, BatchListener listener) {
        this.model = model;
        this.version = version;
        this.replicas = List.copyOf(replicas);
        this.sizes = sizes;
        this.maxBatchSize = sizes.max();
        this.maxQueueDelayNanos = maxQueueDelayNanos;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.listener = listener;
        for (int i = 0; i < this.replicas.size(); i++) {
            Classifier replica = this.replicas.get(i);
            Thread worker = new Thread(() -> work(replica), "batcher-" + model + "-v" + version + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /**
     * Queues one preprocessed image.
     *
     * @param deadlineNanos {@link System#nanoTime()} after which the request is dropped with 504
     * @throws ApiException 503 at once when the queue is full
     * @throws BatcherClosedException when this batcher is draining for a reload or unload
     */
    public CompletableFuture<Prediction> submit(FloatImage image, long deadlineNanos)
            throws ApiException, BatcherClosedException {
        Pending pending = new Pending(image, System.nanoTime(), deadlineNanos, new CompletableFuture<>());
        acceptLock.readLock().lock();
        try {
            if (!accepting) {
                throw new BatcherClosedException(model);
            }
            if (!queue.offer(pending)) {
                throw ApiException.queueFull(model);
            }
        } finally {
            acceptLock.readLock().unlock();
        }
        return pending.result();
    }

    public int queueDepth() {
        return queue.size();
    }

    public String version() {
        return version;
    }

    /** Stops accepting, lets the workers finish everything queued, then closes the replicas. */
    @Override
    public void close() {
        acceptLock.writeLock().lock();
        try {
            accepting = false;
        } finally {
            acceptLock.writeLock().unlock();
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        replicas.forEach(Classifier::close);
    }

    private void work(Classifier replica) {
        InferenceThreads.enterInferenceMode();
        List<Pending> batch = new ArrayList<>(maxBatchSize);
        try {
            while (nextBatch(batch)) {
                run(replica, batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fills {@code batch}; false once closed and drained. */
    private boolean nextBatch(List<Pending> batch) throws InterruptedException {
        Pending first;
        do {
            first = queue.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
            if (first == null && !accepting && queue.isEmpty()) {
                return false;
            }
        } while (first == null);
        batch.add(first);
        long until = first.submittedNanos() + maxQueueDelayNanos;
        queue.drainTo(batch, maxBatchSize - batch.size());
        while (batch.size() < maxBatchSize) {
            long wait = until - System.nanoTime();
            Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                break;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatchSize - batch.size());
        }
        return true;
    }

    private void run(Classifier replica, List<Pending> taken) {
        long start = System.nanoTime();
        List<Pending> live = new ArrayList<>(taken.size());
        for (Pending p : taken) {
            if (p.result().isDone()) {
                continue; // the client gave up (cancelled)
            }
            if (start > p.deadlineNanos()) {
                p.result().completeExceptionally(ApiException.deadlineExceeded(model));
            } else {
                live.add(p);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        List<FloatImage> images = paddedImages(live);
        long[] queued = new long[live.size()];
        for (int i = 0; i < live.size(); i++) {
            queued[i] = start - live.get(i).submittedNanos();
        }
        try {
            // Rows past live.size() are padding: their scores are never read.
            List<Scores> scores = replica.predict(images);
            long compute = System.nanoTime() - start;
            for (int i = 0; i < live.size(); i++) {
                live.get(i).result().complete(new Prediction(model, version, scores.get(i), queued[i], compute, live.size()));
            }
            listener.batchDone(model, live.size(), queued, compute);
        } catch (RoentgenException | RuntimeException e) {
            LOG.error("forward pass of model '{}' failed for a batch of {}", model, live.size(), e);
            ApiException failure = new ApiException(500, "the forward pass failed: " + e.getMessage(), 0, e);
            live.forEach(p -> p.result().completeExceptionally(failure));
        }
    }

    /**
     * The live images, then copies of the last one up to the forward size. Rows of a batch are
     * independent in inference (BatchNorm uses its running statistics), so a copy changes no
     * other row's scores, and a real image cannot hit a numeric edge case zeros might.
     */
    private List<FloatImage> paddedImages(List<Pending> live) {
        int forwardSize = sizes.forwardSize(live.size());
        List<FloatImage> images = new ArrayList<>(forwardSize);
        for (Pending p : live) {
            images.add(p.image());
        }
        FloatImage filler = images.get(images.size() - 1);
        while (images.size() < forwardSize) {
            images.add(filler);
        }
        return images;
    }
}
