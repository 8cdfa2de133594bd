package io.roentgen.training.data;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;

import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads batches from a {@link RandomAccessDataset} with several threads. DJL's own iterable
 * builds each batch on one thread, which leaves a GPU waiting on DICOM decoding; here each
 * sample is fetched by a worker and batches are read ahead (bounded).
 *
 * <p>Thread-safety of native memory: a worker builds a sample in an {@link NDManager} of its own
 * that only it touches; the consumer thread stacks the samples into the batch's manager and
 * closes the sample managers. Every array therefore lives in a manager that is closed: the
 * batch's when the consumer closes the batch, the sample's right after stacking, or on
 * {@link EpochBatches#close()} for batches read ahead but never taken.
 */
public final class ParallelBatchLoader implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final RandomAccessDataset dataset;
    private final int batchSize;
    private final int prefetchBatches;
    private final boolean dropIncomplete;
    private final ExecutorService workers;

    /**
     * @param dropIncomplete leave out a last, smaller batch (training: every step sees a full
     *     batch; a batch of one would also break BatchNorm); a dataset smaller than one batch
     *     still gives one batch
     */
    public ParallelBatchLoader(RandomAccessDataset dataset, int batchSize, int workers,
                               int prefetchBatches, boolean dropIncomplete) {
        if (batchSize < 1 || workers < 1 || prefetchBatches < 1) {
            throw new IllegalArgumentException("batch size, workers and prefetch must be >= 1");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.prefetchBatches = prefetchBatches;
        this.dropIncomplete = dropIncomplete;
        this.workers = Executors.newFixedThreadPool(workers, daemonThreads());
    }

    public long size() {
        return dataset.size();
    }

    public int batchSize() {
        return batchSize;
    }

    public int batchesPerEpoch() {
        long n = dataset.size();
        if (n == 0) {
            return 0;
        }
        long full = n / batchSize;
        if (dropIncomplete) {
            return (int) Math.max(1, full);
        }
        return (int) (full + (n % batchSize == 0 ? 0 : 1));
    }

    /**
     * The batches of one epoch.
     *
     * @param parent batches are sub-managers of it (their arrays are on its device)
     * @param shuffleSeed the order is a seeded permutation, or the dataset order when empty
     * @param firstBatch batches before it are skipped (resume in the middle of an epoch)
     */
    public EpochBatches epoch(NDManager parent, OptionalLong shuffleSeed, int firstBatch) {
        return new EpochBatches(this, parent, EpochOrder.of(dataset.size(), shuffleSeed), firstBatch);
    }

    RandomAccessDataset dataset() {
        return dataset;
    }

    ExecutorService workers() {
        return workers;
    }

    int prefetchBatches() {
        return prefetchBatches;
    }

    /** Indices of batch {@code b}: a full batch, or the rest for the last (or the only) one. */
    int[] batchIndices(int[] order, int b) {
        int from = b * batchSize;
        boolean last = b == batchesPerEpoch() - 1;
        int to = last && !dropIncomplete ? order.length : Math.min(order.length, from + batchSize);
        return java.util.Arrays.copyOfRange(order, from, to);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        int pool = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "roentgen-loader-" + pool + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    static Device cpu() {
        return Device.cpu();
    }
}
