package io.roentgen.server.batching;

import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Dynamic batching for one model version: requests wait in one bounded queue; one worker thread
 * per replica (one per device, each with its own classifier, since DJL predictors are not
 * thread-safe) takes the oldest request and whatever else is queued, waits for more only while
 * more are expected ({@link DispatchPolicy}: never past {@code maxQueueDelay}, never past
 * {@code maxBatchSize}), runs one forward pass and completes each request's future. Replicas
 * share the queue, so a free device takes the next batch. With preferred batch sizes
 * ({@link BatchSizes}) a batch is padded up to the next of them and the padded rows' scores are
 * dropped, so the model only ever sees a few shapes. With a keep-warm interval, a worker idle
 * that long runs one unanswered forward pass on a blank image, so the next request does not
 * find the engine's threads, memory and caches cold.
 */
public final class DynamicBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final String model;
    private final String version;
    private final BatchSizes sizes;
    private final int maxBatchSize;
    private final DispatchPolicy policy;
    private final long keepWarmNanos;
    private final BlockingQueue<Pending> queue;
    private final BatchListener listener;
    private final List<Thread> workers = new ArrayList<>();
    private final List<CompletableFuture<Void>> warmed = new ArrayList<>();
    private final List<Classifier> replicas;
    // Submitters hold the read lock while offering, close() takes the write lock to stop
    // accepting: no request can slip into the queue after the workers were told to drain it.
    private final ReadWriteLock acceptLock = new ReentrantReadWriteLock();
    private volatile boolean accepting = true;

    private record Pending(FloatImage image, long submittedNanos, long deadlineNanos, CompletableFuture<Prediction> result) {}

    public DynamicBatcher(String model, String version, List<Classifier> replicas, BatchSizes sizes,
            long maxQueueDelayNanos, int queueCapacity, BatchListener listener) {
        this(model, version, replicas, sizes, maxQueueDelayNanos, queueCapacity, 0, false, listener);
    }

    /**
     * @param keepWarmNanos a worker idle this long runs one forward pass on a blank image, and
     *                      again after each further interval of idleness; 0: never
     * @param warmUp        each worker first runs every shape in {@code sizes.shapesToWarm()}
     *                      once, on its own thread; {@link #awaitWarm()} waits for that
     */
    public DynamicBatcher(String model, String version, List<Classifier> replicas, BatchSizes sizes,
            long maxQueueDelayNanos, int queueCapacity, long keepWarmNanos, boolean warmUp, BatchListener listener) {
        this.model = model;
        this.version = version;
        this.replicas = List.copyOf(replicas);
        this.sizes = sizes;
        this.maxBatchSize = sizes.max();
        this.policy = new DispatchPolicy(maxBatchSize, maxQueueDelayNanos);
        this.keepWarmNanos = keepWarmNanos;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.listener = listener;
        for (int i = 0; i < this.replicas.size(); i++) {
            Classifier replica = this.replicas.get(i);
            CompletableFuture<Void> warm = new CompletableFuture<>();
            warmed.add(warm);
            Thread worker = new Thread(() -> work(replica, warmUp, warm), "batcher-" + model + "-v" + version + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /**
     * Queues one preprocessed image.
     *
     * @param deadlineNanos {@link System#nanoTime()} after which the request is dropped: its
     *                      future fails with {@link BatchFailure.DeadlinePassed}; a failed forward
     *                      pass fails it with {@link BatchFailure.Failed}
     * @throws BatchFailure.QueueFull at once when the queue is full
     * @throws BatcherClosedException when this batcher is draining for a reload or unload
     */
    public CompletableFuture<Prediction> submit(FloatImage image, long deadlineNanos)
            throws BatchFailure.QueueFull, BatcherClosedException {
        Pending pending = new Pending(image, System.nanoTime(), deadlineNanos, new CompletableFuture<>());
        acceptLock.readLock().lock();
        try {
            if (!accepting) {
                throw new BatcherClosedException(model);
            }
            if (!queue.offer(pending)) {
                throw new BatchFailure.QueueFull(model);
            }
        } finally {
            acceptLock.readLock().unlock();
        }
        return pending.result();
    }

    /**
     * Waits until every worker has run its warm-up passes (at once without warm-up).
     *
     * @throws RoentgenException the first failed warm-up pass; the batcher must then be closed
     */
    public void awaitWarm() throws RoentgenException {
        for (CompletableFuture<Void> warm : warmed) {
            try {
                warm.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RoentgenException r ? r
                        : new RoentgenException("model '" + model + "': warm-up failed: " + e.getCause(), false, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RoentgenException("model '" + model + "': interrupted while warming up", false, e);
            }
        }
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

    private void work(Classifier replica, boolean warmUp, CompletableFuture<Void> warm) {
        InferenceThreads.enterInferenceMode();
        try {
            if (warmUp) {
                Warmup.run(replica, sizes.shapesToWarm());
            }
            warm.complete(null);
        } catch (RoentgenException | RuntimeException e) {
            warm.completeExceptionally(e); // the loader closes this batcher; the worker still drains
        }
        List<Pending> batch = new ArrayList<>(maxBatchSize);
        KeepWarm keepWarm = new KeepWarm(replica);
        try {
            long answered = System.nanoTime();
            while (nextBatch(batch, keepWarm, answered)) {
                policy.ran(batch.size());
                answered = run(replica, batch);
                keepWarm.ran(System.nanoTime());
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Fills {@code batch}; false once closed and drained.
     *
     * @param answered when the last batch's answers went out: requests queued before that are the
     *                 backlog; later ones are likely its clients coming back, already expected
     */
    private boolean nextBatch(List<Pending> batch, KeepWarm keepWarm, long answered) throws InterruptedException {
        long workerFree = System.nanoTime();
        queue.drainTo(batch, maxBatchSize);
        int backlog = (int) batch.stream().filter(p -> p.submittedNanos() - answered < 0).count();
        if (batch.isEmpty()) {
            Pending first = awaitFirst(keepWarm);
            if (first == null) {
                return false;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatchSize - batch.size());
        }
        int target = policy.target(backlog);
        long firstArrival = batch.get(0).submittedNanos();
        while (accepting) { // once draining for a close, nothing more is coming
            long wait = policy.waitNanos(batch.size(), target, firstArrival, workerFree, System.nanoTime());
            if (wait <= 0) {
                break;
            }
            // In slices, so that a close() finds the worker soon however long the delay.
            Pending next = queue.poll(Math.min(wait, IDLE_POLL_NANOS), TimeUnit.NANOSECONDS);
            if (next == null) {
                continue;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatchSize - batch.size());
        }
        return true;
    }

    /** Waits for a request, keeping the replica warm meanwhile; null once closed and drained. */
    private Pending awaitFirst(KeepWarm keepWarm) throws InterruptedException {
        while (true) {
            long poll = IDLE_POLL_NANOS;
            if (keepWarmNanos > 0) {
                poll = Math.max(0, Math.min(poll, keepWarm.due(keepWarmNanos) - System.nanoTime()));
            }
            Pending first = queue.poll(poll, TimeUnit.NANOSECONDS);
            if (first != null) {
                return first;
            }
            if (!accepting && queue.isEmpty()) {
                return null;
            }
            if (keepWarmNanos > 0 && System.nanoTime() - keepWarm.due(keepWarmNanos) >= 0) {
                policy.idled();
                keepWarm.pass(sizes.forwardSize(1));
            }
        }
    }

    /** One worker's idle forward passes: when the last pass ran, and a blank image to run. */
    private final class KeepWarm {
        private final Classifier replica;
        private final FloatImage blank;
        private long lastPass = System.nanoTime();

        KeepWarm(Classifier replica) {
            this.replica = replica;
            ModelCard card = replica.card();
            this.blank = FloatImage.zeros(card.channels(), card.height(), card.width());
        }

        long due(long interval) {
            return lastPass + interval;
        }

        void ran(long now) {
            lastPass = now;
        }

        void pass(int size) {
            try {
                replica.predict(java.util.Collections.nCopies(size, blank));
            } catch (RoentgenException | RuntimeException e) {
                // Only a warm-up: the next real batch reports whatever is wrong with the model.
                LOG.debug("keep-warm pass of model '{}' failed", model, e);
            }
            ran(System.nanoTime());
        }
    }

    /** Runs one batch; returns when its answers began to go out. */
    private long run(Classifier replica, List<Pending> taken) {
        long start = System.nanoTime();
        List<Pending> live = new ArrayList<>(taken.size());
        for (Pending p : taken) {
            if (p.result().isDone()) {
                continue; // the client gave up (cancelled)
            }
            if (start > p.deadlineNanos()) {
                p.result().completeExceptionally(new BatchFailure.DeadlinePassed(model));
            } else {
                live.add(p);
            }
        }
        if (live.isEmpty()) {
            return System.nanoTime();
        }
        List<FloatImage> images = paddedImages(live);
        long[] queued = new long[live.size()];
        for (int i = 0; i < live.size(); i++) {
            queued[i] = start - live.get(i).submittedNanos();
        }
        try {
            // Rows past live.size() are padding: their scores are never read.
            List<Scores> scores = replica.predict(images);
            long answered = System.nanoTime();
            long compute = answered - start;
            for (int i = 0; i < live.size(); i++) {
                live.get(i).result().complete(new Prediction(model, version, scores.get(i), queued[i], compute, live.size()));
            }
            listener.batchDone(model, live.size(), queued, compute);
            return answered;
        } catch (RoentgenException | RuntimeException e) {
            LOG.error("forward pass of model '{}' failed for a batch of {}", model, live.size(), e);
            BatchFailure failure = new BatchFailure.Failed(model, e);
            live.forEach(p -> p.result().completeExceptionally(failure));
            return System.nanoTime();
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
