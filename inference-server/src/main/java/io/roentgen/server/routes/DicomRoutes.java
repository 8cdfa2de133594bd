package io.roentgen.server.routes;

import io.javalin.Javalin;
import io.roentgen.server.security.RequestFacts;
import io.roentgen.server.security.Role;
import io.javalin.http.Context;
import io.roentgen.server.admission.MemoryBudget;
import io.roentgen.server.admission.RequestMemory;
import io.roentgen.server.batching.Prediction;
import io.roentgen.server.http.ApiException;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.http.MalformedMultipartException;
import io.roentgen.server.http.MediaType;
import io.roentgen.server.http.MultipartRelatedReader;
import io.roentgen.server.http.Responses;
import io.roentgen.server.metrics.ServerMetrics;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.ServedModel;
import io.roentgen.server.results.InstanceResult;
import io.roentgen.server.results.ResultStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/models/{m}/classify}: one instance ({@code application/dicom}) or many
 * ({@code multipart/related; type="application/dicom"}), answered as {@code {"results": [...]}}
 * with one entry per instance in request order; {@code GET /v1/results?study=UID} returns what
 * STOW-RS pushes produced.
 *
 * <p>For a multipart request an instance that cannot be classified gets {@code status} and
 * {@code error} in its entry; the request answers 200 when at least one instance was classified,
 * else the first instance's error status.
 */
public final class DicomRoutes {
    private final ModelRepository repository;
    private final InstanceClassifier classifier;
    private final ResultStore results;
    private final ServerMetrics metrics;
    private final long maxBodyBytes;
    private final ResultExporter srExporter;
    private ExplanationEmitter explanations;

    /** The classify answer: one entry per instance, an {@link InstanceResult} or a {@link FailedInstance}. */
    record ClassifyResponse(List<Object> results) {}

    /** An instance of a multipart request that could not be classified: its index, status and why. */
    record FailedInstance(int index, int status, String error) {}

    /** {@code GET /v1/results?study=UID}. */
    record StudyResults(String study, List<InstanceResult> results) {}

    /** @param srExporter emits each request's SR per study ({@code --emit-sr}), or null */
    public DicomRoutes(ModelRepository repository, ResultStore results, ServerMetrics metrics, long timeoutMs, long maxBodyBytes,
            ResultExporter srExporter) {
        this.srExporter = srExporter;
        this.repository = repository;
        this.classifier = new InstanceClassifier(repository, timeoutMs);
        this.results = results;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** With {@code --emit-explanation}: each emitted SR's instances also get their SC or SEG sent. */
    public DicomRoutes withExplanations(ExplanationEmitter emitter) {
        this.explanations = emitter;
        return this;
    }

    public void register(Javalin app) {
        app.post("/v1/models/{model}/classify", this::classify, Role.INFER);
        app.get("/v1/results", this::results, Role.INFER);
    }

    private void classify(Context ctx) throws Exception {
        ServedModel model = repository.require(ctx.pathParam("model"));
        MediaType type = RequestBodies.contentType(ctx);
        if (type.is("application/dicom")) {
            classifyOne(ctx, model);
        } else if (type.is("multipart/related")) {
            requireDicomParts(type);
            classifyMany(ctx, model, type);
        } else {
            throw ApiException.unsupportedMediaType("send application/dicom or multipart/related; type=\"application/dicom\", not "
                    + type.essence());
        }
    }

    private void classifyOne(Context ctx, ServedModel model) throws ApiException, IOException {
        long deadline = classifier.deadline();
        PreparedInstance instance;
        try {
            instance = classifier.prepare(model, RequestBodies.readAll(ctx, maxBodyBytes), RequestMemory.of(ctx), deadline);
        } catch (RejectedInstance e) {
            metrics.instanceDone("rejected");
            throw e.toApiException();
        }
        Prediction prediction = InstanceClassifier.await(classifier.submit(model, instance, deadline), deadline, model.name());
        metrics.instanceDone("classified");
        emitSr(model, List.of(instance), List.of(prediction));
        RequestFacts.study(ctx, instance.studyUid());
        Responses.json(ctx, 200, new ClassifyResponse(List.of(InstanceClassifier.result(instance, prediction))));
    }

    private void classifyMany(Context ctx, ServedModel model, MediaType type) throws Exception {
        long deadline = classifier.deadline();
        List<Object> pending = new ArrayList<>(); // ApiException or (instance, future)
        try (InputStream body = RequestBodies.open(ctx, maxBodyBytes)) {
            MultipartRelatedReader reader = new MultipartRelatedReader(body, MultipartRelatedReader.boundaryOf(type),
                    MultipartRelatedReader.Limits.of(maxBodyBytes));
            for (MultipartRelatedReader.Part part = reader.next(); part != null; part = reader.next()) {
                pending.add(submitPart(model, part, deadline, RequestMemory.of(ctx)));
            }
        }
        if (pending.isEmpty()) {
            throw ApiException.badRequest("the multipart body holds no instance");
        }
        List<Object> answers = new ArrayList<>();
        List<PreparedInstance> classified = new ArrayList<>();
        List<Prediction> predictions = new ArrayList<>();
        ApiException firstFailure = null;
        boolean anyClassified = false;
        for (int i = 0; i < pending.size(); i++) {
            try {
                Submitted s = awaitPart(pending.get(i));
                Prediction prediction = InstanceClassifier.await(s.future(), deadline, model.name());
                answers.add(InstanceClassifier.result(s.instance(), prediction));
                classified.add(s.instance());
                predictions.add(prediction);
                RequestFacts.study(ctx, s.instance().studyUid());
                anyClassified = true;
                metrics.instanceDone("classified");
            } catch (ApiException e) {
                metrics.instanceDone("rejected");
                firstFailure = firstFailure == null ? e : firstFailure;
                answers.add(new FailedInstance(i, e.status(), e.getMessage()));
            }
        }
        if (!anyClassified) {
            throw firstFailure;
        }
        emitSr(model, classified, predictions);
        Responses.json(ctx, 200, new ClassifyResponse(answers));
    }

    private Object submitPart(ServedModel model, MultipartRelatedReader.Part part, long deadline,
            MemoryBudget.Reservation memory) {
        try {
            MediaType partType = part.contentType();
            if (partType != null && !partType.is("application/dicom")) {
                throw ApiException.unsupportedMediaType("a part is " + partType.essence() + ", not application/dicom");
            }
            PreparedInstance instance = classifier.prepare(model, part.body(), memory, deadline);
            return new Submitted(instance, classifier.submit(model, instance, deadline));
        } catch (RejectedInstance e) {
            return e.toApiException();
        } catch (ApiException e) {
            return e;
        }
    }

    private record Submitted(PreparedInstance instance, CompletableFuture<Prediction> future) {}

    private static Submitted awaitPart(Object pending) throws ApiException {
        if (pending instanceof ApiException e) {
            throw e;
        }
        return (Submitted) pending;
    }

    /** With {@code --emit-sr}: the request's classified instances, one SR per study, queued before the answer. */
    private void emitSr(ServedModel model, List<PreparedInstance> instances, List<Prediction> predictions) {
        if (srExporter != null) {
            srExporter.emit(model, InstanceClassifier.reportable(instances, predictions));
            if (explanations != null) {
                explanations.emit(model, instances);
            }
        }
    }

    static void requireDicomParts(MediaType type) throws ApiException, MalformedMultipartException {
        String partType = type.parameter("type");
        if (partType != null && !partType.equalsIgnoreCase("application/dicom")) {
            throw ApiException.unsupportedMediaType("multipart/related parts must be application/dicom, not " + partType);
        }
        MultipartRelatedReader.boundaryOf(type);
    }

    private void results(Context ctx) throws ApiException {
        String study = ctx.queryParam("study");
        if (study == null || study.isBlank()) {
            throw ApiException.badRequest("give the study: /v1/results?study=<StudyInstanceUID>");
        }
        RequestFacts.study(ctx, study);
        Responses.json(ctx, 200, new StudyResults(study, results.study(study)));
    }
}
