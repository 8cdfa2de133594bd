package io.roentgen.server.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roentgen.server.http.Responses;
import io.roentgen.server.results.InstanceResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON of the response records, byte for byte: the names and order clients read, a null
 * label written as null, KServe's {@code id} left out when the request had none, and STOW-RS's
 * DICOM JSON with empty values and empty sequences left out.
 */
class ResponseBodiesJsonTest {

    @Test
    void kserveMetadata() {
        assertEquals("{\"name\":\"roentgen\",\"version\":\"0.1.0\",\"extensions\":[\"model_repository\"]}",
                json(new KServeV2Routes.ServerMetadata("roentgen", "0.1.0", List.of("model_repository"))));
        assertEquals("{\"name\":\"chest\",\"versions\":[\"2\"],\"platform\":\"roentgen_djl\","
                        + "\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,1,64,64]}],"
                        + "\"outputs\":[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,2]}],"
                        + "\"labels\":[\"normal\",\"nodule\"],\"multiLabel\":false,\"thresholds\":[0.5,0.25]}",
                json(new KServeV2Routes.ModelMetadata("chest", List.of("2"), "roentgen_djl",
                        List.of(new KServeV2Routes.TensorMetadata("input", "FP32", List.of(-1, 1, 64, 64))),
                        List.of(new KServeV2Routes.TensorMetadata("probabilities", "FP32", List.of(-1, 2))),
                        List.of("normal", "nodule"), false, new float[] {0.5f, 0.25f})));
        assertEquals("{}", json(new KServeV2Routes.Done()));
        assertEquals("{\"name\":\"chest\",\"ready\":true}", json(new KServeV2Routes.ModelReady("chest", true)));
    }

    @Test
    void kserveInferenceAnswerHasAnIdOnlyWhenTheRequestHadOne() {
        List<KServeV2Routes.OutputTensor> outputs =
                List.of(new KServeV2Routes.OutputTensor("probabilities", "FP32", List.of(1, 2), new float[] {0.75f, 0.25f}));
        String tensor = "\"outputs\":[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[0.75,0.25]}]}";
        assertEquals("{\"model_name\":\"chest\",\"model_version\":\"2\"," + tensor,
                withoutNulls(new KServeV2Routes.InferResponse("chest", "2", null, outputs)));
        assertEquals("{\"model_name\":\"chest\",\"model_version\":\"2\",\"id\":\"r1\"," + tensor,
                withoutNulls(new KServeV2Routes.InferResponse("chest", "2", "r1", outputs)));
    }

    @Test
    void stowResponseIsDicomJsonWithEmptyValuesLeftOut() {
        StowRsRoutes.SopReference stored = new StowRsRoutes.SopReference(StowRsRoutes.Attribute.of("UI", "1.2.840"),
                StowRsRoutes.Attribute.of("UI", "1.2.3"), null);
        StowRsRoutes.SopReference failed = new StowRsRoutes.SopReference(StowRsRoutes.Attribute.of("UI", ""),
                StowRsRoutes.Attribute.of("UI", ""), StowRsRoutes.Attribute.of("US", 0xC122));
        assertEquals("{\"00081199\":{\"vr\":\"SQ\",\"Value\":[{\"00081150\":{\"vr\":\"UI\",\"Value\":[\"1.2.840\"]},"
                        + "\"00081155\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]}}]},"
                        + "\"00081198\":{\"vr\":\"SQ\",\"Value\":[{\"00081150\":{\"vr\":\"UI\"},\"00081155\":{\"vr\":\"UI\"},"
                        + "\"00081197\":{\"vr\":\"US\",\"Value\":[49442]}}]}}",
                withoutNulls(new StowRsRoutes.StoreResponse(StowRsRoutes.Attribute.sequence(List.of(stored)),
                        StowRsRoutes.Attribute.sequence(List.of(failed)))));
        assertEquals("{\"00081198\":{\"vr\":\"SQ\",\"Value\":[{\"00081150\":{\"vr\":\"UI\"},\"00081155\":{\"vr\":\"UI\"},"
                        + "\"00081197\":{\"vr\":\"US\",\"Value\":[49442]}}]}}",
                withoutNulls(new StowRsRoutes.StoreResponse(null, StowRsRoutes.Attribute.sequence(List.of(failed)))));
    }

    @Test
    void instanceResultWritesANullLabel() {
        Map<String, Float> scores = new LinkedHashMap<>();
        scores.put("normal", 0.5f);
        scores.put("nodule", 0.25f);
        InstanceResult result = new InstanceResult("1.2.3", "1.2", "1", null, List.of(), scores, scores, "chest", "2",
                1.5, 0.25, 3);
        assertEquals("{\"sopInstanceUid\":\"1.2.3\",\"seriesInstanceUid\":\"1.2\",\"studyInstanceUid\":\"1\","
                        + "\"label\":null,\"predicted\":[],\"scores\":{\"normal\":0.5,\"nodule\":0.25},"
                        + "\"thresholds\":{\"normal\":0.5,\"nodule\":0.25},\"model\":\"chest\",\"version\":\"2\","
                        + "\"queueMs\":1.5,\"computeMs\":0.25,\"batchSize\":3}",
                json(result));
        assertEquals("{\"index\":1,\"status\":503,\"error\":\"busy\"}", json(new DicomRoutes.FailedInstance(1, 503, "busy")));
    }

    private static String json(Object body) {
        return Responses.gson().toJson(body);
    }

    private static String withoutNulls(Object body) {
        return Responses.gsonWithoutNulls().toJson(body);
    }
}
