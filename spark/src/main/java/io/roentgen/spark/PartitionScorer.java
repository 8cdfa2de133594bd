package io.roentgen.spark;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.Scores;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scores one partition: rows are read lazily in batches of the batch size, each file decoded and
 * preprocessed with the model's own preprocessing, the batch scored by one forward pass of the
 * executor's shared model. Batching is per partition, with the {@link Classifier} directly: the
 * server's dynamic batcher forms batches from a request queue, which a task does not have.
 *
 * <p>A file that cannot be read, decoded or scored becomes a row with an error; nothing a file
 * holds fails the task. The per-task state ({@link Task}) is closed by a task-completion listener,
 * whether the task finished, failed or was killed.
 */
final class PartitionScorer implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(PartitionScorer.class.getName());
    private static final AtomicInteger OPEN_TASKS = new AtomicInteger();

    private final BundleRef bundle;
    private final String pathColumn;
    private final boolean hasContent;
    private final ScoreOptions options;
    private final LongAccumulator scored;
    private final LongAccumulator failed;

    PartitionScorer(BundleRef bundle, String pathColumn, boolean hasContent, ScoreOptions options,
            LongAccumulator scored, LongAccumulator failed) {
        this.bundle = bundle;
        this.pathColumn = pathColumn;
        this.hasContent = hasContent;
        this.options = options;
        this.scored = scored;
        this.failed = failed;
    }

    /** Tasks whose scorer is open in this JVM now; 0 between jobs, or a listener was missed. */
    static int openTasks() {
        return OPEN_TASKS.get();
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext context = TaskContext.get();
        int threads = options.intraOpThreads() > 0 ? options.intraOpThreads()
                : context == null ? 1 : Math.max(1, context.cpus());
        Task task = new Task(rows, threads, context == null ? -1 : context.partitionId());
        if (context != null) {
            context.addTaskCompletionListener((TaskCompletionListener) c -> task.close());
        }
        return task;
    }

    /** One task's scorer: the model reference, the decoder and the batch in hand. */
    private final class Task implements Iterator<Row>, AutoCloseable {
        private final Iterator<Row> input;
        private final int partition;
        private final long started = System.nanoTime();
        private final TaskTimes times = new TaskTimes();
        private final DicomSource source = new DicomSource();
        private final Classifier model;
        private final String loadError;
        private final List<Row> ready = new ArrayList<>();
        private int next;
        private boolean closed;

        Task(Iterator<Row> input, int threads, int partition) {
            OPEN_TASKS.incrementAndGet();
            this.input = input;
            this.partition = partition;
            Classifier loaded = null;
            String error = null;
            try {
                loaded = ExecutorModels.get(bundle, threads);
                times.modelNanos = System.nanoTime() - started;
            } catch (RoentgenException | RuntimeException e) {
                error = "model cannot be loaded: " + e.getMessage();
            }
            this.model = loaded;
            this.loadError = error;
        }

        @Override
        public boolean hasNext() {
            if (next == ready.size()) {
                ready.clear();
                next = 0;
                if (input.hasNext()) {
                    scoreBatch();
                }
            }
            return next < ready.size();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.get(next++);
        }

        private void scoreBatch() {
            List<Prepared> batch = new ArrayList<>(options.batchSize());
            long t0 = System.nanoTime();
            while (batch.size() < options.batchSize() && input.hasNext()) {
                batch.add(prepare(input.next()));
            }
            long t1 = System.nanoTime();
            List<FloatImage> images = new ArrayList<>(batch.size());
            for (Prepared p : batch) {
                if (p.image != null) {
                    images.add(p.image);
                }
            }
            List<Scores> scores;
            String batchError = null;
            try {
                scores = model == null ? List.of() : model.predict(images);
            } catch (RoentgenException | RuntimeException e) {
                scores = List.of();
                batchError = "forward pass failed: " + e.getMessage();
            }
            times.batch(batch.size(), t1 - t0, System.nanoTime() - t1);
            int k = 0;
            for (Prepared p : batch) {
                if (p.image == null) {
                    ready.add(ScoreRow.failed(p.path, p.instance, p.error, bundle));
                    failed.add(1);
                } else if (batchError != null) {
                    ready.add(ScoreRow.failed(p.path, p.instance, batchError, bundle));
                    failed.add(1);
                } else {
                    ready.add(ScoreRow.scored(p.path, p.instance, scores.get(k++), bundle));
                    scored.add(1);
                }
            }
        }

        private Prepared prepare(Row row) {
            String path = row.getString(row.fieldIndex(pathColumn));
            if (loadError != null) {
                return Prepared.failed(path, ScoreRow.Instance.UNKNOWN, loadError);
            }
            ScoreRow.Instance instance = ScoreRow.Instance.UNKNOWN;
            try {
                byte[] content = hasContent ? (byte[]) row.get(row.fieldIndex("content")) : null;
                DicomObject dicom = source.read(path, content);
                instance = new ScoreRow.Instance(dicom.getString(Tag.SOPInstanceUID),
                        dicom.getString(Tag.SeriesInstanceUID), dicom.getString(Tag.StudyInstanceUID),
                        dicom.getString(Tag.Modality));
                return new Prepared(path, instance, Preparation.forModel(model, dicom), null);
            } catch (IOException e) {
                return Prepared.failed(path, instance, "cannot read: " + e.getMessage());
            } catch (DicomException e) {
                return Prepared.failed(path, instance, e.getMessage());
            } catch (RuntimeException e) {
                // A decoder bug must not take the partition down; the message says what.
                return Prepared.failed(path, instance, "cannot preprocess: " + e);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                ready.clear();
                OPEN_TASKS.decrementAndGet();
                long total = System.nanoTime() - started;
                LOG.log(System.Logger.Level.INFO, () -> "partition " + partition + ": " + times.describe(total));
            }
        }
    }

    /**
     * Where a task's time went: reading and preprocessing, forward passes, and the rest (Spark
     * pulling rows and writing them out), so a slow job says which part was slow without a profiler.
     */
    private static final class TaskTimes {
        private int files;
        private int batches;
        private long prepareNanos;
        private long forwardNanos;
        private long modelNanos; // 0 but in the task that loaded the model

        void batch(int size, long prepare, long forward) {
            files += size;
            batches++;
            prepareNanos += prepare;
            forwardNanos += forward;
        }

        String describe(long totalNanos) {
            return String.format(java.util.Locale.ROOT,
                    "%d files in %d batches, %.2f s: model %.2f s, read and preprocess %.2f s, forward %.2f s,"
                    + " rest %.2f s", files, batches, totalNanos / 1e9, modelNanos / 1e9, prepareNanos / 1e9,
                    forwardNanos / 1e9, (totalNanos - modelNanos - prepareNanos - forwardNanos) / 1e9);
        }
    }

    private record Prepared(String path, ScoreRow.Instance instance, FloatImage image, String error) {
        static Prepared failed(String path, ScoreRow.Instance instance, String error) {
            return new Prepared(path, instance, null, error == null ? "failed" : error);
        }
    }
}
