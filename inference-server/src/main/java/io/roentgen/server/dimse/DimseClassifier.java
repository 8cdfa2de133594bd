package io.roentgen.server.dimse;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.codec.DecodeDeadline;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.dicom.net.StoredInstance;
import io.roentgen.dicom.net.StudyListener;
import io.roentgen.dicom.sr.SourceImage;
import io.roentgen.server.http.ApiException;
import io.roentgen.server.batching.Prediction;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.export.StudyReports;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.routes.ExplanationEmitter;
import io.roentgen.server.repository.ServedModel;
import io.roentgen.server.results.InstanceResult;
import io.roentgen.server.results.ResultStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Classifies a study the DICOM node assembled: each spooled instance is preprocessed with the
 * model's own {@code PreprocessingSpec} and submitted to the model's batcher, as the HTTP routes
 * do; results go to the same {@link ResultStore} ({@code GET /v1/results?study=}).
 *
 * <p>With a {@link ResultExporter} ({@code --emit-sr}), each classified study also yields its TID
 * 1500 structured report through the same exporter, writer and outbox as the HTTP routes, so every
 * entry path gives the same SR.
 *
 * <p>An instance that cannot be classified (no pixel data, undecodable) is logged and counted as
 * done: retrying it would fail the same way. A model that is not loaded throws, so the study is
 * retried at the next start.
 */
public final class DimseClassifier implements StudyListener {
    private static final Logger LOG = LoggerFactory.getLogger(DimseClassifier.class);

    private final ModelRepository repository;
    private final String modelName;
    private final ResultStore results;
    private final long timeoutNanos;
    private final ResultExporter srExporter;
    private final ExplanationEmitter explanations;

    /**
     * @param modelName the model to use, or null for the first by name (as STOW-RS)
     * @param srExporter where each study's SR goes, or null for none
     */
    public DimseClassifier(ModelRepository repository, String modelName, ResultStore results, long timeoutMillis,
            ResultExporter srExporter) {
        this(repository, modelName, results, timeoutMillis, srExporter, null);
    }

    /** As above; with {@code explanations} ({@code --emit-explanation}) each reported instance's map follows its SR. */
    public DimseClassifier(ModelRepository repository, String modelName, ResultStore results, long timeoutMillis,
            ResultExporter srExporter, ExplanationEmitter explanations) {
        this.repository = repository;
        this.modelName = modelName;
        this.results = results;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.srExporter = srExporter;
        this.explanations = explanations;
    }

    @Override
    public void studyComplete(String callingAe, String studyUid, List<StoredInstance> instances) throws Exception {
        ServedModel model = repository.require(model());
        long deadline = System.nanoTime() + timeoutNanos;
        List<String> sops = new ArrayList<>();
        List<CompletableFuture<Prediction>> futures = new ArrayList<>();
        List<DicomObject> datasets = new ArrayList<>();
        List<FloatImage> images = new ArrayList<>();
        for (StoredInstance instance : instances) {
            try {
                DicomObject dicom = DicomReader.defaults().read(instance.file());
                FloatImage image;
                try (DecodeDeadline.Scope decoding = DecodeDeadline.until(deadline)) {
                    image = Preprocessing.of(model.preprocessing()).apply(dicom, 0);
                }
                futures.add(repository.submit(model.name(), model.version(), image, deadline));
                sops.add(instance.sopInstanceUid());
                datasets.add(dicom);
                images.add(image);
            } catch (IOException | DicomException | RuntimeException e) {
                LOG.warn("a DIMSE instance cannot be classified: {}", e.getMessage());
            }
        }
        int classified = 0;
        List<StudyReports.Scored> scored = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            Prediction prediction = await(futures.get(i), deadline);
            DicomObject dicom = datasets.get(i);
            results.add(InstanceResult.of(sops.get(i), dicom.getString(Tag.SeriesInstanceUID, ""), studyUid, prediction));
            scored.add(new StudyReports.Scored(SourceImage.of(datasets.get(i)), prediction.scores()));
            classified++;
        }
        if (srExporter != null && !scored.isEmpty()) {
            // On disk in the outbox when this returns, before the assembler marks the instances done;
            // if it cannot be queued this throws, the study stays unmarked and the assembler retries it.
            srExporter.emitStudy(model, scored);
            if (explanations != null) {
                for (int i = 0; i < scored.size(); i++) {
                    explanations.emit(model, datasets.get(i), images.get(i));
                }
            }
        }
        LOG.info("DIMSE study from {} classified: {} of {} instances with model '{}'", callingAe, classified, instances.size(),
                model.name());
    }

    private String model() throws ApiException {
        if (modelName != null) {
            return modelName;
        }
        return repository.served().stream().map(ServedModel::name).min(Comparator.naturalOrder())
                .orElseThrow(() -> new ApiException(503, "no model is loaded"));
    }

    private static Prediction await(CompletableFuture<Prediction> future, long deadline) throws Exception {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
