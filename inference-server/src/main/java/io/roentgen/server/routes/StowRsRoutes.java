package io.roentgen.server.routes;

import com.google.gson.annotations.SerializedName;
import io.javalin.Javalin;
import io.roentgen.server.security.RequestFacts;
import io.roentgen.server.security.Role;
import io.javalin.http.Context;
import io.roentgen.dicom.DicomObject;
import io.roentgen.server.admission.MemoryBudget;
import io.roentgen.server.admission.RequestMemory;
import io.roentgen.server.batching.Prediction;
import io.roentgen.server.http.ApiException;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.http.MediaType;
import io.roentgen.server.http.MultipartRelatedReader;
import io.roentgen.server.http.Responses;
import io.roentgen.server.metrics.ServerMetrics;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.RepositoryException;
import io.roentgen.server.repository.ServedModel;
import io.roentgen.server.results.ResultStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DICOMweb STOW-RS ({@code POST /dicomweb/studies[/{study}]}), so a PACS can push studies. Each
 * part is parsed and preprocessed as it streams in and queued at once, so decoding the next part
 * overlaps the batched forward passes. The answer is the Store Instances Response in DICOM JSON:
 * 200 when every instance was taken, 202 when some failed, 409 when none was taken.
 */
public final class StowRsRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(StowRsRoutes.class);

    private final ModelRepository repository;
    private final InstanceClassifier classifier;
    private final ResultStore results;
    private final ServerMetrics metrics;
    private final String stowModel;
    private final long maxBodyBytes;
    private final ResultExporter srExporter;
    private ExplanationEmitter explanations;

    /** @param srExporter emits each push's SR per study ({@code --emit-sr}), or null */
    public StowRsRoutes(ModelRepository repository, ResultStore results, ServerMetrics metrics, String stowModel,
            long timeoutMs, long maxBodyBytes, ResultExporter srExporter) {
        this.srExporter = srExporter;
        this.repository = repository;
        this.classifier = new InstanceClassifier(repository, timeoutMs);
        this.results = results;
        this.metrics = metrics;
        this.stowModel = stowModel;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** With {@code --emit-explanation}: each emitted SR's instances also get their SC or SEG sent. */
    public StowRsRoutes withExplanations(ExplanationEmitter emitter) {
        this.explanations = emitter;
        return this;
    }

    public void register(Javalin app) {
        app.post("/dicomweb/studies", ctx -> store(ctx, null), Role.INFER);
        app.post("/dicomweb/studies/{study}", ctx -> store(ctx, ctx.pathParam("study")), Role.INFER);
    }

    /**
     * One attribute in DICOM JSON (PS3.18 F.2.2): its VR and values. An attribute without a value
     * leaves {@code Value} out, as the standard has it, so these are written without nulls.
     */
    record Attribute(String vr, @SerializedName("Value") List<?> value) {
        static Attribute of(String vr, Object value) {
            return new Attribute(vr, "".equals(value) ? null : List.of(value));
        }

        static Attribute sequence(List<SopReference> items) {
            return new Attribute("SQ", items);
        }
    }

    /** An item of the Referenced SOP Sequence, or of the Failed SOP Sequence with its Failure Reason. */
    record SopReference(@SerializedName("00081150") Attribute sopClass, @SerializedName("00081155") Attribute sopInstance,
            @SerializedName("00081197") Attribute failureReason) {}

    /** The Store Instances Response; a sequence without items is left out. */
    record StoreResponse(@SerializedName("00081199") Attribute referenced, @SerializedName("00081198") Attribute failed) {}

    private record Outcome(String sopClass, String sopInstance, PreparedInstance instance,
            CompletableFuture<Prediction> future, RejectedInstance rejected) {}

    private void store(Context ctx, String study) throws Exception {
        MediaType type = RequestBodies.contentType(ctx);
        if (!type.is("multipart/related")) {
            throw ApiException.unsupportedMediaType("STOW-RS takes multipart/related; type=\"application/dicom\", not " + type.essence());
        }
        DicomRoutes.requireDicomParts(type);
        ServedModel model = model();
        RequestFacts.model(ctx, model.name());
        RequestFacts.study(ctx, study);
        long deadline = classifier.deadline();
        List<Outcome> outcomes = new ArrayList<>();
        try (InputStream body = RequestBodies.open(ctx, maxBodyBytes)) {
            MultipartRelatedReader reader = new MultipartRelatedReader(body, MultipartRelatedReader.boundaryOf(type),
                    MultipartRelatedReader.Limits.of(maxBodyBytes));
            for (MultipartRelatedReader.Part part = reader.next(); part != null; part = reader.next()) {
                outcomes.add(accept(model, part, study, deadline, RequestMemory.of(ctx)));
            }
        }
        if (outcomes.isEmpty()) {
            throw ApiException.badRequest("the STOW-RS request holds no instance");
        }
        List<SopReference> stored = new ArrayList<>();
        List<SopReference> failed = new ArrayList<>();
        List<PreparedInstance> classified = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            RejectedInstance rejection = outcome.rejected();
            if (rejection == null) {
                try {
                    Prediction prediction = InstanceClassifier.await(outcome.future(), deadline, model.name());
                    results.add(InstanceClassifier.result(outcome.instance(), prediction));
                    RequestFacts.study(ctx, outcome.instance().studyUid());
                    stored.add(reference(outcome, 0));
                    classified.add(outcome.instance());
                    predictions.add(prediction);
                    metrics.instanceDone("classified");
                    continue;
                } catch (ApiException e) {
                    rejection = RejectedInstance.of(e);
                }
            }
            LOG.info("STOW-RS instance refused, failure reason {}: {}", hex(rejection.failureReason()), rejection.getMessage());
            failed.add(reference(outcome, rejection.failureReason()));
            metrics.instanceDone("refused");
        }
        if (srExporter != null && !classified.isEmpty()) {
            srExporter.emit(model, InstanceClassifier.reportable(classified, predictions));
            if (explanations != null) {
                explanations.emit(model, classified);
            }
        }
        StoreResponse response = new StoreResponse(stored.isEmpty() ? null : Attribute.sequence(stored),
                failed.isEmpty() ? null : Attribute.sequence(failed));
        int status = failed.isEmpty() ? 200 : stored.isEmpty() ? 409 : 202;
        Responses.jsonWithoutNulls(ctx, status, response, "application/dicom+json");
    }

    private ServedModel model() throws ApiException, RepositoryException {
        if (stowModel != null) {
            return repository.require(stowModel);
        }
        List<ServedModel> served = repository.served();
        if (served.isEmpty()) {
            throw new ApiException(503, "no model is loaded to classify pushed instances", 1, null);
        }
        return served.get(0);
    }

    private Outcome accept(ServedModel model, MultipartRelatedReader.Part part, String study, long deadline,
            MemoryBudget.Reservation memory) {
        MediaType partType = part.contentType();
        if (partType != null && !partType.is("application/dicom")) {
            return rejected("", "", new RejectedInstance(415, RejectedInstance.CANNOT_UNDERSTAND,
                    "a part is " + partType.essence() + ", not application/dicom"));
        }
        DicomObject dicom;
        try {
            dicom = InstanceClassifier.parse(part.body(), memory);
        } catch (RejectedInstance e) {
            return rejected("", "", e);
        }
        String sopClass = InstanceClassifier.sopClassUid(dicom);
        String sopInstance = InstanceClassifier.sopInstanceUid(dicom);
        try {
            PreparedInstance instance = classifier.prepare(model, dicom, memory, deadline);
            if (study != null && !study.equals(instance.studyUid())) {
                throw new RejectedInstance(409, RejectedInstance.DIFFERENT_STUDY, "the instance belongs to another study than the URL's");
            }
            return new Outcome(sopClass, sopInstance, instance, classifier.submit(model, instance, deadline), null);
        } catch (RejectedInstance e) {
            return rejected(sopClass, sopInstance, e);
        } catch (ApiException e) {
            return rejected(sopClass, sopInstance, RejectedInstance.of(e));
        }
    }

    private static Outcome rejected(String sopClass, String sopInstance, RejectedInstance why) {
        return new Outcome(sopClass, sopInstance, null, null, why);
    }

    /** One Referenced SOP Sequence / Failed SOP Sequence item in DICOM JSON. */
    private static SopReference reference(Outcome outcome, int failureReason) {
        return new SopReference(Attribute.of("UI", outcome.sopClass()), Attribute.of("UI", outcome.sopInstance()),
                failureReason == 0 ? null : Attribute.of("US", failureReason));
    }

    private static String hex(int code) {
        return String.format("%04X", code);
    }
}
