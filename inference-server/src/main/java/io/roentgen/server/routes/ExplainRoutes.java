package io.roentgen.server.routes;

import io.javalin.Javalin;
import io.roentgen.server.security.Role;
import io.javalin.http.Context;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.Explanation;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.models.explain.ExplanationReport;
import io.roentgen.models.explain.Overlay;
import io.roentgen.server.admission.RequestMemory;
import io.roentgen.server.http.ApiException;
import io.roentgen.server.http.MediaType;
import io.roentgen.server.http.MultipartRelatedReader;
import io.roentgen.server.http.MultipartRelatedWriter;
import io.roentgen.server.http.Responses;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.ServedModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /v1/models/{m}/explain[?method=gradcam|gradcam++][&class=LABEL]}: the classify bodies
 * (one {@code application/dicom} instance, or {@code multipart/related} of them) answered with, per
 * instance, the scores, the raw map at the target layer's resolution and the overlay as a base64
 * PNG. Explanations wait in their own bounded {@link ExplanationQueue}: 503 when it is full.
 *
 * <p>With {@code Accept: multipart/related; type="application/dicom"} the answer is instead one
 * DICOM part per explained instance: the Secondary Capture, or the fractional Segmentation with
 * {@code &dicom=seg} (instances that failed are left out; all failing is the first failure's status).
 */
public final class ExplainRoutes {
    private final ModelRepository repository;
    private final InstanceClassifier preparer;
    private final ExplanationQueue queue;
    private final long maxBodyBytes;

    /** The answer: one {@link InstanceExplanation} or {@link DicomRoutes.FailedInstance} per instance, in order. */
    record ExplainResponse(List<Object> results) {}

    /** One explained instance; {@code png} is the overlay, base64. */
    record InstanceExplanation(String sopInstanceUid, String studyUid, ExplanationReport explanation, String png) {}

    public ExplainRoutes(ModelRepository repository, ExplanationQueue queue, long timeoutMs, long maxBodyBytes) {
        this.repository = repository;
        this.preparer = new InstanceClassifier(repository, timeoutMs);
        this.queue = queue;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(Javalin app) {
        app.post("/v1/models/{model}/explain", this::explain, Role.INFER);
    }

    private void explain(Context ctx) throws Exception {
        ServedModel model = repository.require(ctx.pathParam("model"));
        CamMethod method;
        try {
            method = CamMethod.parse(ctx.queryParamAsClass("method", String.class).getOrDefault("gradcam"));
        } catch (RoentgenException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String label = ctx.queryParam("class");
        ExplanationDicom kind = dicomAnswer(ctx);
        long deadline = preparer.deadline();
        List<byte[]> bodies = bodies(ctx);
        List<Object> answers = new ArrayList<>();
        ApiException firstFailure = null;
        for (int i = 0; i < bodies.size(); i++) {
            try {
                answers.add(explainOne(model, bodies.get(i), ctx, deadline, method, label, kind));
            } catch (ApiException e) {
                if (bodies.size() == 1) {
                    throw e;
                }
                firstFailure = firstFailure == null ? e : firstFailure;
                answers.add(new DicomRoutes.FailedInstance(i, e.status(), e.getMessage()));
            }
        }
        if (firstFailure != null && answers.stream().allMatch(a -> a instanceof DicomRoutes.FailedInstance)) {
            throw firstFailure;
        }
        if (kind == null) {
            Responses.json(ctx, 200, new ExplainResponse(answers));
            return;
        }
        List<byte[]> parts = new ArrayList<>();
        for (Object a : answers) {
            if (a instanceof DicomAnswer d) {
                parts.add(DicomWriter.explicitLittleEndian().toByteArray(d.dicom()));
            }
        }
        MultipartRelatedWriter writer = MultipartRelatedWriter.of("application/dicom");
        ctx.status(200).contentType(writer.contentType()).result(writer.body(parts));
    }

    /** The DICOM object to answer with when Accept asks for DICOM parts (SC unless {@code dicom=seg}); null for JSON. */
    private static ExplanationDicom dicomAnswer(Context ctx) throws ApiException {
        String accept = ctx.header("Accept");
        boolean wantsDicom = false;
        if (accept != null) {
            for (String range : accept.split(",")) {
                MediaType type = MediaType.parse(range.trim());
                if (type != null && type.is("multipart/related")) {
                    String part = type.parameter("type");
                    wantsDicom |= part == null || part.equalsIgnoreCase("application/dicom");
                }
            }
        }
        if (!wantsDicom) {
            return null;
        }
        String dicom = ctx.queryParam("dicom");
        try {
            return dicom == null ? ExplanationDicom.SC : ExplanationDicom.parse(dicom);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private List<byte[]> bodies(Context ctx) throws Exception {
        MediaType type = RequestBodies.contentType(ctx);
        if (type.is("application/dicom")) {
            return List.of(RequestBodies.readAll(ctx, maxBodyBytes));
        }
        if (!type.is("multipart/related")) {
            throw ApiException.unsupportedMediaType("send application/dicom or multipart/related; type=\"application/dicom\", not "
                    + type.essence());
        }
        DicomRoutes.requireDicomParts(type);
        List<byte[]> bodies = new ArrayList<>();
        try (InputStream body = RequestBodies.open(ctx, maxBodyBytes)) {
            MultipartRelatedReader reader = new MultipartRelatedReader(body, MultipartRelatedReader.boundaryOf(type),
                    MultipartRelatedReader.Limits.of(maxBodyBytes));
            for (MultipartRelatedReader.Part part = reader.next(); part != null; part = reader.next()) {
                bodies.add(part.body());
            }
        }
        if (bodies.isEmpty()) {
            throw ApiException.badRequest("the multipart body holds no instance");
        }
        return bodies;
    }

    /** An instance answered as a DICOM object. */
    private record DicomAnswer(DicomObject dicom) {}

    private Object explainOne(ServedModel model, byte[] body, Context ctx, long deadline, CamMethod method,
            String label, ExplanationDicom kind) throws ApiException, IOException {
        PreparedInstance instance;
        try {
            instance = preparer.prepare(model, body, RequestMemory.of(ctx), deadline);
        } catch (RejectedInstance e) {
            throw e.toApiException();
        }
        CompletableFuture<ExplanationQueue.Explained> future;
        try {
            future = queue.submit(model, instance.header(), instance.image(), method, label, kind);
        } catch (RejectedExecutionException e) {
            throw FailureStatus.explanationQueueFull(e);
        }
        ExplanationQueue.Explained explained = await(future, deadline, model.name());
        if (kind != null) {
            return new DicomAnswer(explained.dicom());
        }
        Explanation e = explained.explanation();
        String png = Base64.getEncoder().encodeToString(Overlay.png(instance.image(), e.map()));
        return new InstanceExplanation(instance.sopInstanceUid(), instance.studyUid(), ExplanationReport.of(null, e), png);
    }

    /** The queued work's result within the request's deadline (cancelled past it: 504). */
    static <T> T await(CompletableFuture<T> future, long deadline, String model) throws ApiException {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw FailureStatus.deadlinePassed(model);
        } catch (ExecutionException e) {
            throw FailureStatus.explanationFailed(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the server is shutting down", 1, e);
        }
    }
}
