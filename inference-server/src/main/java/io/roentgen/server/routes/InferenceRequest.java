package io.roentgen.server.routes;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.models.ModelCard;
import io.roentgen.server.admission.MemoryBudget;
import io.roentgen.server.http.ApiException;

import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A KServe v2 inference request read as a stream: {@code {"id", "inputs": [one FP32 tensor],
 * "parameters", "outputs"}}. The tensor's values go straight into a float array that never
 * grows past what the declared shape needs (or, before the shape is seen, past the largest batch
 * the model takes), and each growth is taken from the request's memory budget first. Values that
 * are not finite FP32 numbers are refused with their index.
 */
final class InferenceRequest {
    /** Largest N of an [N, C, H, W] request. */
    static final int MAX_BATCH = 1024;
    private static final int MAX_DEPTH = 4;

    /** The request's inputs, and the outputs it asked for by name (empty: the default, probabilities). */
    record Parsed(String id, List<FloatImage> images, List<RequestedOutput> outputs) {}

    /** One entry of {@code "outputs"}: a name and its optional {@code "parameters": {"class": LABEL}}. */
    record RequestedOutput(String name, String label) {}

    private final ModelCard card;
    private final MemoryBudget.Reservation memory;
    private final int imageSize;
    private String id;
    private final List<RequestedOutput> outputs = new ArrayList<>();
    private boolean sawInput;
    private String datatype;
    private long[] shape;
    private float[] values = new float[0];
    private int count;
    private long bound;

    private InferenceRequest(ModelCard card, MemoryBudget.Reservation memory) {
        this.card = card;
        this.memory = memory;
        this.imageSize = card.channels() * card.height() * card.width();
        this.bound = (long) MAX_BATCH * imageSize;
    }

    /** Reads the request from {@code body}; 400 for anything that is not one fitting FP32 tensor. */
    static Parsed read(Reader body, ModelCard card, MemoryBudget.Reservation memory) throws ApiException, IOException {
        InferenceRequest request = new InferenceRequest(card, memory);
        JsonReader json = new JsonReader(body);
        try {
            request.readRequest(json);
            if (json.peek() != JsonToken.END_DOCUMENT) {
                throw ApiException.badRequest("the inference request has data after its JSON object");
            }
        } catch (MalformedJsonException | EOFException | IllegalStateException | NumberFormatException | JsonParseException e) {
            throw ApiException.badRequest("the inference request is not valid JSON: " + e.getMessage());
        }
        return new Parsed(request.id, request.images(), List.copyOf(request.outputs));
    }

    private void readRequest(JsonReader json) throws IOException, ApiException {
        if (json.peek() != JsonToken.BEGIN_OBJECT) {
            throw ApiException.badRequest("the inference request must be a JSON object");
        }
        json.beginObject();
        while (json.hasNext()) {
            switch (json.nextName()) {
                case "id" -> id = json.peek() == JsonToken.STRING || json.peek() == JsonToken.NUMBER ? json.nextString() : skip(json);
                case "inputs" -> readInputs(json);
                case "outputs" -> readOutputs(json);
                default -> json.skipValue();
            }
        }
        json.endObject();
    }

    private void readOutputs(JsonReader json) throws IOException, ApiException {
        if (json.peek() != JsonToken.BEGIN_ARRAY) {
            throw ApiException.badRequest("\"outputs\" must be an array of {\"name\": ...}");
        }
        json.beginArray();
        while (json.hasNext()) {
            if (json.peek() != JsonToken.BEGIN_OBJECT || outputs.size() == 16) {
                throw ApiException.badRequest("\"outputs\" must hold at most 16 objects");
            }
            String name = null;
            String label = null;
            json.beginObject();
            while (json.hasNext()) {
                switch (json.nextName()) {
                    case "name" -> name = json.peek() == JsonToken.STRING ? json.nextString() : skip(json);
                    case "parameters" -> label = readClassParameter(json);
                    default -> json.skipValue();
                }
            }
            json.endObject();
            if (name == null) {
                throw ApiException.badRequest("every requested output needs a \"name\"");
            }
            outputs.add(new RequestedOutput(name, label));
        }
        json.endArray();
    }

    /** The {@code "class"} of an output's parameters, the label an explanation is for (null: the predicted one). */
    private static String readClassParameter(JsonReader json) throws IOException {
        if (json.peek() != JsonToken.BEGIN_OBJECT) {
            json.skipValue();
            return null;
        }
        String label = null;
        json.beginObject();
        while (json.hasNext()) {
            if (json.nextName().equals("class") && json.peek() == JsonToken.STRING) {
                label = json.nextString();
            } else {
                json.skipValue();
            }
        }
        json.endObject();
        return label;
    }

    private void readInputs(JsonReader json) throws IOException, ApiException {
        if (json.peek() != JsonToken.BEGIN_ARRAY) {
            throw ApiException.badRequest("\"inputs\" must hold exactly one tensor");
        }
        json.beginArray();
        while (json.hasNext()) {
            if (sawInput || json.peek() != JsonToken.BEGIN_OBJECT) {
                throw ApiException.badRequest("\"inputs\" must hold exactly one tensor");
            }
            sawInput = true;
            readTensor(json);
        }
        json.endArray();
    }

    private void readTensor(JsonReader json) throws IOException, ApiException {
        json.beginObject();
        while (json.hasNext()) {
            switch (json.nextName()) {
                case "datatype" -> datatype = json.peek() == JsonToken.STRING ? json.nextString() : skip(json);
                case "shape" -> readShape(json);
                case "data" -> {
                    if (json.peek() != JsonToken.BEGIN_ARRAY) {
                        throw ApiException.badRequest("input \"data\" must be an array of numbers");
                    }
                    readData(json, 0);
                }
                default -> json.skipValue();
            }
        }
        json.endObject();
    }

    private void readShape(JsonReader json) throws IOException, ApiException {
        if (json.peek() != JsonToken.BEGIN_ARRAY) {
            throw ApiException.badRequest("input \"shape\" must be an array");
        }
        List<Long> dims = new ArrayList<>();
        json.beginArray();
        while (json.hasNext()) {
            if (json.peek() != JsonToken.NUMBER || dims.size() == 8) {
                throw ApiException.badRequest("input \"shape\" must hold at most 8 integers");
            }
            String literal = json.nextString();
            if (!literal.matches("-?\\d{1,18}")) {
                throw ApiException.badRequest("input \"shape\" must hold integers, got " + literal);
            }
            dims.add(Long.parseLong(literal));
        }
        json.endArray();
        shape = dims.stream().mapToLong(Long::longValue).toArray();
        long needed = (long) batchSize() * imageSize;
        if (count > needed) {
            throw tooManyValues(needed);
        }
        bound = needed;
    }

    /** Copies numbers from a flat or nested array, row-major, never past {@link #bound}. */
    private void readData(JsonReader json, int depth) throws IOException, ApiException {
        if (depth > MAX_DEPTH) {
            throw ApiException.badRequest("input \"data\" is nested deeper than [N][C][H][W]");
        }
        json.beginArray();
        while (json.hasNext()) {
            JsonToken token = json.peek();
            if (token == JsonToken.BEGIN_ARRAY) {
                readData(json, depth + 1);
            } else if (token == JsonToken.NUMBER) {
                // The literal, not nextDouble(): a strict reader refuses 1e39 without saying where.
                add(Double.parseDouble(json.nextString()));
            } else {
                throw ApiException.badRequest("input \"data\" must hold numbers only");
            }
        }
        json.endArray();
    }

    private void add(double value) throws ApiException, IOException {
        if (!(Math.abs(value) <= Float.MAX_VALUE)) {
            throw ApiException.badRequest("input data[" + count + "] = " + value + " is not a finite FP32 value");
        }
        if (count == values.length) {
            grow();
        }
        values[count++] = (float) value;
    }

    private void grow() throws ApiException, IOException {
        if (count >= bound) {
            throw tooManyValues(bound);
        }
        int capacity = (int) Math.min(bound, Math.max(4096, 2L * values.length));
        memory.grow(4L * capacity);
        values = Arrays.copyOf(values, capacity);
    }

    private ApiException tooManyValues(long needed) {
        return ApiException.badRequest("input data holds more values than its shape needs (" + needed + ")");
    }

    private List<FloatImage> images() throws ApiException, IOException {
        if (!sawInput) {
            throw ApiException.badRequest("\"inputs\" must hold exactly one tensor");
        }
        if (!"FP32".equals(datatype)) {
            throw ApiException.badRequest("input datatype must be FP32, got " + datatype);
        }
        if (shape == null) {
            throw ApiException.badRequest("input \"shape\" must be an array");
        }
        int n = batchSize();
        if ((long) count != (long) n * imageSize) {
            throw ApiException.badRequest("input data holds " + count + " values, the shape needs " + (long) n * imageSize);
        }
        memory.grow(4L * count);
        List<FloatImage> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            images.add(new FloatImage(Arrays.copyOfRange(values, i * imageSize, (i + 1) * imageSize),
                    card.channels(), card.height(), card.width()));
        }
        return images;
    }

    /** N for [N, C, H, W], 1 for [C, H, W]; 400 when C, H, W differ from the model's. */
    private int batchSize() throws ApiException {
        long[] expected = {card.channels(), card.height(), card.width()};
        int offset = shape.length - 3;
        boolean ok = (shape.length == 3 || shape.length == 4) && (shape.length == 3 || (shape[0] >= 1 && shape[0] <= MAX_BATCH));
        for (int i = 0; ok && i < 3; i++) {
            ok = shape[offset + i] == expected[i];
        }
        if (!ok) {
            throw ApiException.badRequest("input shape " + Arrays.toString(shape) + " does not fit the model's [N, "
                    + card.channels() + ", " + card.height() + ", " + card.width() + "] (N from 1 to " + MAX_BATCH + ")");
        }
        return shape.length == 3 ? 1 : (int) shape[0];
    }

    private static String skip(JsonReader json) throws IOException {
        json.skipValue();
        return null;
    }
}
