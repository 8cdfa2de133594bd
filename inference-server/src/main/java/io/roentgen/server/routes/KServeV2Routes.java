package io.roentgen.server.routes;

import com.google.gson.annotations.SerializedName;
import io.javalin.Javalin;
import io.roentgen.server.security.Role;
import io.javalin.http.Context;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.models.ModelCard;
import io.roentgen.models.bundle.BundleFormat;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.server.admission.RequestMemory;
import io.roentgen.server.http.ApiException;
import io.roentgen.server.http.MediaType;
import io.roentgen.server.batching.Prediction;
import io.roentgen.server.http.Responses;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.RepositoryException;
import io.roentgen.server.repository.ServedModel;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The KServe v2 / Open Inference Protocol: health, server and model metadata, readiness, the
 * repository extension (index, load, unload) and {@code infer} with FP32 JSON tensors of shape
 * {@code [N, C, H, W]} (or {@code [C, H, W]}); each image of a request is batched on its own, so
 * one client's images share forward passes with everybody else's.
 *
 * <p>Explanation maps are extra outputs, computed only when the request's {@code "outputs"} names
 * them: {@code "gradcam"} (alias {@code "heatmap"}) or {@code "gradcam++"}, FP32 {@code [N, H, W]},
 * the map resized to the input and scaled to [0, 1]; {@code "parameters": {"class": LABEL}} picks
 * the class (default: each image's predicted one). They run on the {@link ExplanationQueue}, so
 * they never take the batchers' places; a request whose maps do not fit the queue gets 503.
 */
public final class KServeV2Routes {
    private static final String SERVER_VERSION = "0.1.0";
    private static final String PROBABILITIES = "probabilities";
    private static final List<InferenceRequest.RequestedOutput> DEFAULT_OUTPUTS =
            List.of(new InferenceRequest.RequestedOutput(PROBABILITIES, null));

    /** {@code GET /v2}. */
    record ServerMetadata(String name, String version, List<String> extensions) {}

    /** A tensor of the model metadata: FP32, -1 for the batch dimension. */
    record TensorMetadata(String name, String datatype, List<Integer> shape) {}

    /** {@code GET /v2/models/{model}}: KServe's fields, then Roentgen's labels and thresholds. */
    record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
            List<TensorMetadata> outputs, List<String> labels, boolean multiLabel, float[] thresholds) {}

    record Live(boolean live) {}

    record Ready(boolean ready) {}

    record ModelReady(String name, boolean ready) {}

    /** The load and unload answer: an empty object. */
    record Done() {}

    /** One output tensor of an inference answer, values row-major. */
    record OutputTensor(String name, String datatype, List<Integer> shape, float[] data) {}

    /** The inference answer; {@code id} echoes the request's, and is left out when it had none. */
    record InferResponse(@SerializedName("model_name") String modelName,
            @SerializedName("model_version") String modelVersion, String id, List<OutputTensor> outputs) {}

    private final ModelRepository repository;
    private final ExplanationQueue explanations;
    private final BooleanSupplier accepting;
    private final long timeoutNanos;
    private final long maxBodyBytes;

    public KServeV2Routes(ModelRepository repository, ExplanationQueue explanations, BooleanSupplier accepting,
            long timeoutMs, long maxBodyBytes) {
        this.repository = repository;
        this.explanations = explanations;
        this.accepting = accepting;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(Javalin app) {
        app.get("/v2/health/live", ctx -> Responses.json(ctx, 200, new Live(true)), Role.ANYONE);
        app.get("/v2/health/ready", ctx -> {
            boolean ready = accepting.getAsBoolean() && repository.allReady();
            Responses.json(ctx, ready ? 200 : 503, new Ready(ready));
        }, Role.ANYONE);
        app.get("/v2", ctx -> Responses.json(ctx, 200, new ServerMetadata("roentgen", SERVER_VERSION,
                List.of("model_repository"))), Role.INFER);
        app.get("/v2/models/{model}", ctx -> metadata(ctx, repository.require(ctx.pathParam("model"))), Role.INFER);
        app.get("/v2/models/{model}/versions/{version}", ctx -> metadata(ctx, versioned(ctx)), Role.INFER);
        app.get("/v2/models/{model}/ready", ctx -> ready(ctx, repository.require(ctx.pathParam("model"))), Role.INFER);
        app.get("/v2/models/{model}/versions/{version}/ready", ctx -> ready(ctx, versioned(ctx)), Role.INFER);
        app.post("/v2/models/{model}/infer", ctx -> infer(ctx, ctx.pathParam("model"), null), Role.INFER);
        app.post("/v2/models/{model}/versions/{version}/infer", ctx -> infer(ctx, ctx.pathParam("model"), ctx.pathParam("version")), Role.INFER);
        app.post("/v2/repository/index", ctx -> Responses.json(ctx, 200, repository.index()), Role.ADMIN);
        app.post("/v2/repository/models/{model}/load", ctx -> {
            repository.load(ctx.pathParam("model"));
            Responses.json(ctx, 200, new Done());
        }, Role.ADMIN);
        app.post("/v2/repository/models/{model}/unload", ctx -> {
            repository.unload(ctx.pathParam("model"));
            Responses.json(ctx, 200, new Done());
        }, Role.ADMIN);
    }

    private ServedModel versioned(Context ctx) throws RepositoryException {
        return repository.require(ctx.pathParam("model"), ctx.pathParam("version"));
    }

    private static void metadata(Context ctx, ServedModel model) {
        ModelCard card = model.card();
        Responses.json(ctx, 200, new ModelMetadata(model.name(), List.of(model.version()), "roentgen_" + card.format(),
                List.of(new TensorMetadata("input", "FP32", List.of(-1, card.channels(), card.height(), card.width()))),
                outputs(card),
                card.labels(), card.multiLabel(), card.thresholds()));
    }

    /** Probabilities, and the explanation maps for Roentgen bundles (TorchScript ones cannot be explained). */
    private static List<TensorMetadata> outputs(ModelCard card) {
        TensorMetadata probabilities = new TensorMetadata(PROBABILITIES, "FP32", List.of(-1, card.labels().size()));
        if (!BundleFormat.ROENTGEN.id().equals(card.format())) {
            return List.of(probabilities);
        }
        List<Integer> map = List.of(-1, card.height(), card.width());
        return List.of(probabilities, new TensorMetadata("gradcam", "FP32", map), new TensorMetadata("gradcam++", "FP32", map));
    }

    private static void ready(Context ctx, ServedModel model) {
        Responses.json(ctx, 200, new ModelReady(model.name(), true));
    }

    private void infer(Context ctx, String name, String version) throws Exception {
        ServedModel model = repository.require(name, version);
        long deadline = System.nanoTime() + timeoutNanos;
        requireJson(ctx);
        InferenceRequest.Parsed request;
        try (Reader body = new InputStreamReader(RequestBodies.stream(ctx, maxBodyBytes), StandardCharsets.UTF_8)) {
            request = InferenceRequest.read(body, model.card(), RequestMemory.of(ctx));
        }
        List<InferenceRequest.RequestedOutput> wanted = request.outputs().isEmpty() ? DEFAULT_OUTPUTS : request.outputs();
        for (InferenceRequest.RequestedOutput o : wanted) {
            if (!o.name().equals(PROBABILITIES)) {
                camMethod(o.name()); // 400 for an unknown name before any work is queued
            }
        }
        List<FloatImage> images = request.images();
        List<OutputTensor> outputs = new ArrayList<>();
        String servedVersion = model.version();
        for (InferenceRequest.RequestedOutput o : wanted) {
            if (o.name().equals(PROBABILITIES)) {
                Probabilities p = probabilities(name, version, model, images, deadline);
                servedVersion = p.version();
                outputs.add(p.tensor());
            } else {
                outputs.add(maps(model, images, o, deadline));
            }
        }
        Responses.jsonWithoutNulls(ctx, 200, new InferResponse(name, servedVersion, request.id(), outputs), "application/json");
    }

    private record Probabilities(OutputTensor tensor, String version) {}

    private Probabilities probabilities(String name, String version, ServedModel model, List<FloatImage> images,
            long deadline) throws Exception {
        List<CompletableFuture<Prediction>> futures = new ArrayList<>(images.size());
        for (FloatImage image : images) {
            futures.add(repository.submit(name, version, image, deadline));
        }
        int labels = model.card().labels().size();
        float[] data = new float[images.size() * labels];
        String servedVersion = model.version();
        for (int i = 0; i < futures.size(); i++) {
            Prediction p = InstanceClassifier.await(futures.get(i), deadline, name);
            System.arraycopy(p.scores().probabilities(), 0, data, i * labels, labels);
            servedVersion = p.version();
        }
        return new Probabilities(new OutputTensor(PROBABILITIES, "FP32", List.of(images.size(), labels), data), servedVersion);
    }

    /** One explanation map per image, stacked [N, H, W]. */
    private OutputTensor maps(ServedModel model, List<FloatImage> images, InferenceRequest.RequestedOutput output,
            long deadline) throws ApiException {
        CamMethod method = camMethod(output.name());
        List<CompletableFuture<ExplanationQueue.Explained>> futures = new ArrayList<>(images.size());
        try {
            for (FloatImage image : images) {
                futures.add(explanations.submit(model, null, image, method, output.label(), null));
            }
        } catch (RejectedExecutionException e) {
            futures.forEach(f -> f.cancel(false));
            throw FailureStatus.explanationQueueFull(e);
        }
        ModelCard card = model.card();
        int size = card.height() * card.width();
        float[] data = new float[images.size() * size];
        for (int i = 0; i < futures.size(); i++) {
            System.arraycopy(ExplainRoutes.await(futures.get(i), deadline, model.name()).explanation().map(), 0, data, i * size, size);
        }
        return new OutputTensor(output.name(), "FP32", List.of(images.size(), card.height(), card.width()), data);
    }

    private static CamMethod camMethod(String output) throws ApiException {
        return switch (output) {
            case "gradcam", "heatmap" -> CamMethod.GRAD_CAM;
            case "gradcam++" -> CamMethod.GRAD_CAM_PLUS_PLUS;
            default -> throw ApiException.badRequest("unknown output '" + output + "'; this model offers " + PROBABILITIES
                    + ", gradcam (or heatmap) and gradcam++");
        };
    }

    /** KServe's JSON body: application/json, or no Content-Type at all; 415 for anything else. */
    private static void requireJson(Context ctx) throws ApiException {
        String header = ctx.header("Content-Type");
        if (header == null) {
            return;
        }
        MediaType type = MediaType.parse(header);
        if (type == null || !type.is("application/json")) {
            throw ApiException.unsupportedMediaType("an inference request is application/json, not " + header);
        }
    }
}
