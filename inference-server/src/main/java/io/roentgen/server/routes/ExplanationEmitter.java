package io.roentgen.server.routes;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.sr.SourceImage;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.repository.ServedModel;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --emit-explanation}: for every instance whose SR was emitted, the Grad-CAM map of its
 * predicted class as an SC or SEG, queued in the same outbox for the same destinations. It runs
 * after the answer, one explanation at a time on the shared {@link ExplanationQueue} (so
 * interactive explain requests keep the other places), waiting for a place when the queue is full
 * instead of dropping the study's maps. Its own backlog is bounded: beyond {@link #BACKLOG}
 * instances waiting, further ones are logged and skipped (their SR still goes).
 */
public final class ExplanationEmitter implements AutoCloseable {
    public static final int BACKLOG = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ExplanationEmitter.class);
    private static final long RETRY_MS = 50;

    private record Job(ServedModel model, PreparedInstance instance) {}

    private final ExplanationQueue queue;
    private final ResultExporter exporter;
    private final ExplanationDicom kind;
    private final BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(BACKLOG);
    private final AtomicLong emitted = new AtomicLong();
    private final Thread worker;
    private volatile boolean closed;

    public ExplanationEmitter(ExplanationQueue queue, ResultExporter exporter, ExplanationDicom kind) {
        this.queue = queue;
        this.exporter = exporter;
        this.kind = kind;
        this.worker = new Thread(this::run, "roentgen-explanation-emitter");
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues the explanations of a request's reported instances (those the SR references). */
    void emit(ServedModel model, List<PreparedInstance> instances) {
        for (PreparedInstance instance : instances) {
            if (instance.source() != null && !jobs.offer(new Job(model, instance))) {
                LOG.warn("explanation backlog full ({} instances): an explanation of a study scored by '{}' is not emitted",
                        BACKLOG, model.name());
            }
        }
    }

    /**
     * Queues the explanation of one instance the DICOM node scored and reported, from its data set
     * and the image the model saw.
     */
    public void emit(ServedModel model, DicomObject dicom, FloatImage image) {
        emit(model, List.of(new PreparedInstance(dicom.getString(Tag.SOPClassUID, ""), dicom.getString(Tag.SOPInstanceUID, ""),
                dicom.getString(Tag.SeriesInstanceUID, ""), dicom.getString(Tag.StudyInstanceUID, ""), image,
                SourceImage.of(dicom), ExplanationDicom.header(dicom))));
    }

    /** How many SCs or SEGs went to the outbox. */
    public long emitted() {
        return emitted.get();
    }

    private void run() {
        while (!closed) {
            try {
                Job job = jobs.poll(100, TimeUnit.MILLISECONDS);
                if (job != null) {
                    explain(job);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void explain(Job job) throws InterruptedException {
        PreparedInstance instance = job.instance();
        try {
            CompletableFuture<ExplanationQueue.Explained> future = submit(job);
            exporter.queue(future.get().dicom());
            emitted.incrementAndGet();
        } catch (ExecutionException | java.io.IOException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.error("cannot emit the explanation of an instance scored by '{}': {}", job.model().name(), cause.toString());
        }
    }

    /** Submits, waiting while the explanation queue is full. */
    private CompletableFuture<ExplanationQueue.Explained> submit(Job job) throws InterruptedException {
        PreparedInstance i = job.instance();
        while (true) {
            try {
                return queue.submit(job.model(), i.header(), i.image(), CamMethod.GRAD_CAM, null, kind);
            } catch (RejectedExecutionException full) {
                if (closed) {
                    throw full;
                }
                Thread.sleep(RETRY_MS);
            }
        }
    }

    /** Stops after the explanation in hand; what is still waiting is not emitted. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        worker.interrupt();
        worker.join(TimeUnit.SECONDS.toMillis(30));
    }
}
