package io.roentgen.server.dimse;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.codec.DecodeDeadline;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.net.Outbox;
import io.roentgen.dicom.net.StoredInstance;
import io.roentgen.dicom.sr.Algorithm;
import io.roentgen.dicom.sr.Code;
import io.roentgen.dicom.sr.InstanceFinding;
import io.roentgen.dicom.sr.MeasurementReport;
import io.roentgen.dicom.net.StudyListener;
import io.roentgen.models.Scores;
import io.roentgen.server.ApiException;
import io.roentgen.server.batching.Prediction;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.ServedModel;
import io.roentgen.server.results.ResultStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Classifies a study the DICOM node assembled: each spooled instance is preprocessed with the
 * model's own {@code PreprocessingSpec} and submitted to the model's batcher, as the HTTP routes
 * do; results go to the same {@link ResultStore} ({@code GET /v1/results?study=}).
 *
 * <p>With an {@link Outbox}, each classified study also yields a TID 1500 structured report (one
 * measurement group per instance: the top label as the bundle's code for it, from its optional
 * {@code codes.json}, else a local one; its probability)
 * that the outbox delivers to every result destination.
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
    private final Outbox outbox;
    private final boolean comprehensive3d;

    /**
     * @param modelName the model to use, or null for the first by name (as STOW-RS)
     * @param outbox where reports go, or null for none
     * @param comprehensive3d Comprehensive 3D SR, else Comprehensive SR
     */
    public DimseClassifier(ModelRepository repository, String modelName, ResultStore results, long timeoutMillis,
            Outbox outbox, boolean comprehensive3d) {
        this.repository = repository;
        this.modelName = modelName;
        this.results = results;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.outbox = outbox;
        this.comprehensive3d = comprehensive3d;
    }

    @Override
    public void studyComplete(String callingAe, String studyUid, List<StoredInstance> instances) throws Exception {
        ServedModel model = repository.require(model());
        long deadline = System.nanoTime() + timeoutNanos;
        List<String> sops = new ArrayList<>();
        List<CompletableFuture<Prediction>> futures = new ArrayList<>();
        List<DicomObject> datasets = new ArrayList<>();
        for (StoredInstance instance : instances) {
            try {
                DicomObject dicom = DicomReader.defaults().read(instance.file());
                FloatImage image;
                try (DecodeDeadline.Scope decoding = DecodeDeadline.until(deadline)) {
                    image = model.preprocessing().apply(dicom, 0);
                }
                futures.add(repository.submit(model.name(), model.version(), image, deadline));
                sops.add(instance.sopInstanceUid());
                datasets.add(dicom);
            } catch (IOException | DicomException | RuntimeException e) {
                LOG.warn("a DIMSE instance cannot be classified: {}", e.getMessage());
            }
        }
        int classified = 0;
        LabelCodes codes = outbox == null ? null : LabelCodes.of(model.directory());
        List<InstanceFinding> findings = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            Prediction prediction = await(futures.get(i), deadline);
            results.add(new ResultStore.Entry(studyUid, sops.get(i), json(datasets.get(i), callingAe, prediction)));
            findings.add(finding(datasets.get(i), prediction.scores(), codes));
            classified++;
        }
        if (outbox != null && !findings.isEmpty()) {
            Algorithm algorithm = new Algorithm(model.name(), model.version(), BundleHash.of(model.directory()), "Roentgen");
            outbox.submit(MeasurementReport.build(datasets.get(0), algorithm, findings, comprehensive3d));
        }
        LOG.info("DIMSE study classified: {} of {} instances with model '{}'", classified, instances.size(), model.name());
    }

    /** The top label as the bundle's code for it (a local one by default), and its probability. */
    private static InstanceFinding finding(DicomObject dicom, Scores scores, LabelCodes codes) {
        String top = scores.top();
        Code code = codes == null ? Code.local(top) : codes.code(top);
        return new InstanceFinding(dicom.getString(Tag.SOPClassUID), dicom.getString(Tag.SOPInstanceUID),
                dicom.getString(Tag.SeriesInstanceUID), code, scores.probability(top));
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

    /** The same fields as the HTTP routes' results, plus where the instance came from. */
    private static Map<String, Object> json(DicomObject dicom, String callingAe, Prediction prediction) {
        Scores scores = prediction.scores();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sopInstanceUid", dicom.getString(Tag.SOPInstanceUID, ""));
        r.put("seriesInstanceUid", dicom.getString(Tag.SeriesInstanceUID, ""));
        r.put("studyInstanceUid", dicom.getString(Tag.StudyInstanceUID, ""));
        r.put("label", scores.top());
        r.put("predicted", scores.predicted());
        Map<String, Float> perLabel = new LinkedHashMap<>();
        for (int i = 0; i < scores.labels().size(); i++) {
            perLabel.put(scores.labels().get(i), scores.probabilities()[i]);
        }
        r.put("scores", perLabel);
        r.put("model", prediction.model());
        r.put("version", prediction.version());
        r.put("source", "dimse");
        r.put("callingAeTitle", callingAe);
        return r;
    }
}
