package io.roentgen.server.routes;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.roentgen.datasets.transform.FloatImage;
import io.roentgen.models.ModelCard;
import io.roentgen.server.ApiException;

import java.util.ArrayList;
import java.util.List;

/** The one FP32 input tensor of a KServe v2 inference request, split into images. */
final class InferenceRequest {
    private InferenceRequest() {}

    static List<FloatImage> images(JsonObject request, ModelCard card) throws ApiException {
        JsonElement inputs = request.get("inputs");
        if (inputs == null || !inputs.isJsonArray() || inputs.getAsJsonArray().size() != 1
                || !inputs.getAsJsonArray().get(0).isJsonObject()) {
            throw ApiException.badRequest("\"inputs\" must hold exactly one tensor");
        }
        JsonObject tensor = inputs.getAsJsonArray().get(0).getAsJsonObject();
        String datatype = string(tensor, "datatype");
        if (!"FP32".equals(datatype)) {
            throw ApiException.badRequest("input datatype must be FP32, got " + datatype);
        }
        int n = batchSize(shape(tensor), card);
        int imageSize = card.channels() * card.height() * card.width();
        float[] flat = new float[Math.multiplyExact(n, imageSize)];
        int count = flatten(tensor.get("data"), flat, 0, 0);
        if (count != flat.length) {
            throw ApiException.badRequest("input data holds " + count + " values, the shape needs " + flat.length);
        }
        List<FloatImage> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] one = new float[imageSize];
            System.arraycopy(flat, i * imageSize, one, 0, imageSize);
            images.add(new FloatImage(one, card.channels(), card.height(), card.width()));
        }
        return images;
    }

    private static long[] shape(JsonObject tensor) throws ApiException {
        JsonElement shape = tensor.get("shape");
        if (shape == null || !shape.isJsonArray()) {
            throw ApiException.badRequest("input \"shape\" must be an array");
        }
        JsonArray a = shape.getAsJsonArray();
        long[] dims = new long[a.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonElement d = a.get(i);
            if (!d.isJsonPrimitive() || !d.getAsJsonPrimitive().isNumber()) {
                throw ApiException.badRequest("input \"shape\" must hold integers");
            }
            dims[i] = d.getAsLong();
        }
        return dims;
    }

    /** N for [N, C, H, W], 1 for [C, H, W]; 400 when C, H, W differ from the model's. */
    private static int batchSize(long[] dims, ModelCard card) throws ApiException {
        long[] expected = {card.channels(), card.height(), card.width()};
        int offset = dims.length - 3;
        boolean ok = (dims.length == 3 || dims.length == 4) && (dims.length == 3 || (dims[0] >= 1 && dims[0] <= 1024));
        for (int i = 0; ok && i < 3; i++) {
            ok = dims[offset + i] == expected[i];
        }
        if (!ok) {
            throw ApiException.badRequest("input shape " + java.util.Arrays.toString(dims) + " does not fit the model's [N, "
                    + card.channels() + ", " + card.height() + ", " + card.width() + "] (N from 1 to 1024)");
        }
        return dims.length == 3 ? 1 : (int) dims[0];
    }

    /** Copies numbers from a flat or nested JSON array, row-major; never writes past {@code out}. */
    private static int flatten(JsonElement data, float[] out, int at, int depth) throws ApiException {
        if (depth > 4) {
            throw ApiException.badRequest("input \"data\" is nested deeper than [N][C][H][W]");
        }
        if (data == null || !data.isJsonArray()) {
            throw ApiException.badRequest("input \"data\" must be an array of numbers");
        }
        int i = at;
        for (JsonElement e : data.getAsJsonArray()) {
            if (e.isJsonArray()) {
                i = flatten(e, out, i, depth + 1);
            } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                if (i >= out.length) {
                    throw ApiException.badRequest("input data holds more values than its shape");
                }
                out[i++] = e.getAsFloat();
            } else {
                throw ApiException.badRequest("input \"data\" must hold numbers only");
            }
        }
        return i;
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }
}
