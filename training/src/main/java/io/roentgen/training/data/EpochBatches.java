package io.roentgen.training.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import ai.djl.translate.Batchifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The batches of one epoch, read ahead by the loader's workers. Each batch returned by
 * {@link #next()} belongs to the caller, who closes it. {@link #close()} releases everything read
 * ahead and not taken.
 */
public final class EpochBatches implements Iterator<Batch>, AutoCloseable {
    private final ParallelBatchLoader loader;
    private final NDManager parent;
    private final int[] order;
    private final int batches;
    private final Deque<PendingBatch> pending = new ArrayDeque<>();
    private int nextToSubmit;
    private int nextToTake;

    EpochBatches(ParallelBatchLoader loader, NDManager parent, int[] order, int firstBatch) {
        this.loader = loader;
        this.parent = parent;
        this.order = order;
        this.batches = loader.batchesPerEpoch();
        this.nextToSubmit = firstBatch;
        this.nextToTake = firstBatch;
        while (pending.size() < loader.prefetchBatches() && nextToSubmit < batches) {
            submitNext();
        }
    }

    /** Index within the epoch of the batch {@link #next()} returns. */
    public int nextBatchIndex() {
        return nextToTake;
    }

    public int batchesPerEpoch() {
        return batches;
    }

    @Override
    public boolean hasNext() {
        return nextToTake < batches;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        PendingBatch head = pending.removeFirst();
        if (nextToSubmit < batches) {
            submitNext(); // keep the workers busy while this batch is stacked and trained on
        }
        List<Sample> samples = head.await();
        try {
            return stack(samples, head.indices);
        } finally {
            samples.forEach(Sample::close);
            nextToTake++;
        }
    }

    private void submitNext() {
        int[] indices = loader.batchIndices(order, nextToSubmit++);
        List<Future<Sample>> futures = new ArrayList<>(indices.length);
        List<AtomicBoolean> claims = new ArrayList<>(indices.length);
        for (int index : indices) {
            AtomicBoolean claim = new AtomicBoolean();
            claims.add(claim);
            // A read runs only if it claims its slot first; discard() claims the slots of reads that
            // have not started. FutureTask.cancel alone cannot tell: it "cancels" a running task too,
            // which then went on reading from the dataset while the caller freed it.
            futures.add(loader.workers().submit(() -> claim.compareAndSet(false, true)
                    ? Sample.read(loader, parent, index) : null));
        }
        pending.addLast(new PendingBatch(indices, futures, claims));
    }

    private Batch stack(List<Sample> samples, int[] indices) {
        NDManager batchManager = parent.newSubManager();
        try {
            NDList data = stackField(samples, true, batchManager);
            NDList labels = stackField(samples, false, batchManager);
            List<Integer> indexList = Arrays.stream(indices).boxed().toList();
            return new Batch(batchManager, data, labels, samples.size(), Batchifier.STACK, Batchifier.STACK,
                    nextToTake, batches, indexList);
        } catch (RuntimeException e) {
            batchManager.close();
            throw e;
        }
    }

    private static NDList stackField(List<Sample> samples, boolean data, NDManager into) {
        int fields = samples.get(0).field(data).size();
        NDList stacked = new NDList(fields);
        for (int f = 0; f < fields; f++) {
            NDList column = new NDList(samples.size());
            for (Sample sample : samples) {
                column.add(sample.field(data).get(f));
            }
            NDArray array = NDArrays.stack(column).toDevice(into.getDevice(), false);
            array.attach(into);
            stacked.add(array);
        }
        return stacked;
    }

    @Override
    public void close() {
        while (!pending.isEmpty()) {
            pending.removeFirst().discard();
        }
    }

    /** One sample, built by a worker in a manager that only it used. */
    private record Sample(NDManager manager, Record record) implements AutoCloseable {
        static Sample read(ParallelBatchLoader loader, NDManager parent, int index) throws IOException {
            NDManager manager = parent.getEngine().newBaseManager(ParallelBatchLoader.cpu());
            try {
                return new Sample(manager, loader.dataset().get(manager, index));
            } catch (IOException | RuntimeException e) {
                manager.close();
                throw e;
            }
        }

        NDList field(boolean data) {
            return data ? record.getData() : record.getLabels();
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    private record PendingBatch(int[] indices, List<Future<Sample>> futures, List<AtomicBoolean> claims) {
        List<Sample> await() {
            List<Sample> samples = new ArrayList<>(futures.size());
            try {
                for (Future<Sample> future : futures) {
                    samples.add(future.get());
                }
                return samples;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                samples.forEach(Sample::close);
                discard();
                throw new IllegalStateException("interrupted while loading a batch", e);
            } catch (ExecutionException e) {
                samples.forEach(Sample::close);
                discard();
                if (e.getCause() instanceof IOException io) {
                    throw new UncheckedIOException("could not read a training sample: " + io.getMessage(), io);
                }
                throw new IllegalStateException("could not read a training sample: " + e.getCause(), e.getCause());
            }
        }

        /** Withdraws what has not started; waits for what has, and closes its native memory. */
        void discard() {
            for (int i = 0; i < futures.size(); i++) {
                Future<Sample> future = futures.get(i);
                if (claims.get(i).compareAndSet(false, true)) {
                    future.cancel(false); // never started, and now never will
                    continue;
                }
                try {
                    Sample sample = future.get();
                    if (sample != null) {
                        sample.close();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException | java.util.concurrent.CancellationException alreadyReported) {
                    // nothing was allocated, or it was closed when the failure was reported
                }
            }
        }
    }
}
