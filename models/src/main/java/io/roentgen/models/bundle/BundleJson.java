package io.roentgen.models.bundle;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.sr.Code;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code model.json} to and from {@link BundleManifest}. Reading checks every field by hand so
 * that a broken file gives one message naming the field, not a Gson stack trace; unknown fields
 * are ignored (a newer minor version may add some).
 */
public final class BundleJson {
    static final String MULTI_CLASS = "multi-class";
    static final String MULTI_LABEL = "multi-label";
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private BundleJson() {}

    public static String write(BundleManifest m) {
        JsonObject o = new JsonObject();
        o.addProperty("formatVersion", m.formatVersion());
        o.addProperty("format", m.format().id());
        o.addProperty("name", m.name());
        o.addProperty("version", m.version());
        o.addProperty("task", m.task());
        if (m.architecture() != null) {
            o.add("architecture", PRETTY.toJsonTree(m.architecture()));
        }
        JsonObject input = new JsonObject();
        input.addProperty("channels", m.input().channels());
        input.addProperty("height", m.input().height());
        input.addProperty("width", m.input().width());
        o.add("input", input);
        JsonArray labels = new JsonArray();
        m.labels().forEach(labels::add);
        o.add("labels", labels);
        JsonObject thresholds = new JsonObject();
        for (int i = 0; i < m.labels().size(); i++) {
            thresholds.addProperty(m.labels().get(i), m.thresholds()[i]);
        }
        o.add("thresholds", thresholds);
        o.add("preprocessing", m.preprocessing().toJsonTree());
        JsonObject metrics = new JsonObject();
        // JSON has no NaN: a metric undefined on the validation set (one class only) is left out.
        m.metrics().forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                metrics.addProperty(k, v);
            }
        });
        o.add("metrics", metrics);
        o.add("provenance", PRETTY.toJsonTree(m.provenance()));
        if (!m.codes().isEmpty()) {
            o.add("codes", codesJson(m.codes()));
        }
        return PRETTY.toJson(o) + "\n";
    }

    /** Parses and validates; {@code where} names the file in messages. */
    public static BundleManifest read(String json, String where) throws RoentgenException {
        JsonObject o;
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject()) {
                throw new RoentgenException(where + ": not a JSON object");
            }
            o = root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new RoentgenException(where + ": not valid JSON: " + rootCause(e), false, e);
        }
        try {
            return parse(o, where).validated();
        } catch (RoentgenException e) {
            throw e.getMessage().startsWith("model.json: ")
                    ? new RoentgenException(where + ": " + e.getMessage().substring("model.json: ".length()), false, e)
                    : e;
        } catch (RuntimeException e) {
            throw new RoentgenException(where + ": " + rootCause(e), false, e);
        }
    }

    private static BundleManifest parse(JsonObject o, String where) throws RoentgenException {
        String formatVersion = string(o, "formatVersion", where);
        checkFormatVersion(formatVersion, where);
        BundleFormat format = BundleFormat.of(string(o, "format", where));
        boolean multiLabel = task(string(o, "task", where), where);
        List<String> labels = labels(array(o, "labels", where), where);
        ArchitectureSpec architecture = o.has("architecture") && !o.get("architecture").isJsonNull()
                ? architecture(object(o, "architecture", where), where) : null;
        PreprocessingSpec preprocessing;
        try {
            preprocessing = PreprocessingSpec.fromJsonTree(object(o, "preprocessing", where));
        } catch (IllegalArgumentException | IllegalStateException | JsonParseException e) {
            throw new RoentgenException(where + ": \"preprocessing\": " + rootCause(e), false, e);
        }
        return new BundleManifest(formatVersion, format, string(o, "name", where), optionalString(o, "version", "1"),
                architecture, input(object(o, "input", where), where), multiLabel, labels,
                thresholds(o, labels, where), preprocessing, metrics(o, where), provenance(o), codes(o, where));
    }

    /** {@code {"label": {"value": ..., "scheme": ..., "meaning": ...}}}, the form the SR exporter reads. */
    public static JsonObject codesJson(Map<String, Code> codes) {
        JsonObject out = new JsonObject();
        codes.forEach((label, c) -> {
            JsonObject code = new JsonObject();
            code.addProperty("value", c.value());
            code.addProperty("scheme", c.scheme());
            code.addProperty("meaning", c.meaning());
            out.add(label, code);
        });
        return out;
    }

    /** The optional {@code "codes"} object; a code lacking a part is an error that names its label. */
    public static Map<String, Code> codes(JsonObject o, String where) throws RoentgenException {
        Map<String, Code> codes = new LinkedHashMap<>();
        if (!o.has("codes") || o.get("codes").isJsonNull()) {
            return codes;
        }
        for (Map.Entry<String, JsonElement> e : object(o, "codes", where).entrySet()) {
            String problem = where + ": \"codes\" of '" + e.getKey() + "' needs value, scheme and meaning";
            if (!e.getValue().isJsonObject()) {
                throw new RoentgenException(problem + ", got " + e.getValue());
            }
            JsonObject c = e.getValue().getAsJsonObject();
            try {
                codes.put(e.getKey(), new Code(string(c, "value", "value"), string(c, "scheme", "scheme"),
                        string(c, "meaning", "meaning")));
            } catch (RoentgenException | IllegalArgumentException bad) {
                throw new RoentgenException(problem + ": " + bad.getMessage());
            }
        }
        return codes;
    }

    /** Refuses a major version this code does not know; a newer minor version is read. */
    static void checkFormatVersion(String formatVersion, String where) throws RoentgenException {
        String major = formatVersion.split("\\.", 2)[0];
        int value;
        try {
            value = Integer.parseInt(major);
        } catch (NumberFormatException e) {
            throw new RoentgenException(where + ": \"formatVersion\" must look like 1.0, got '" + formatVersion + "'");
        }
        if (value != BundleManifest.SUPPORTED_MAJOR) {
            throw new RoentgenException(where + ": bundle format version " + formatVersion + " is not supported: this "
                    + "Roentgen reads version " + BundleManifest.SUPPORTED_MAJOR + ".x bundles");
        }
    }

    private static boolean task(String task, String where) throws RoentgenException {
        return switch (task) {
            case MULTI_CLASS -> false;
            case MULTI_LABEL -> true;
            default -> throw new RoentgenException(where + ": \"task\" must be " + MULTI_CLASS + " or " + MULTI_LABEL
                    + ", got '" + task + "'");
        };
    }

    private static List<String> labels(JsonArray array, String where) throws RoentgenException {
        List<String> labels = new ArrayList<>();
        for (JsonElement e : array) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
                throw new RoentgenException(where + ": \"labels\" must be non-empty strings, got " + e);
            }
            if (labels.contains(e.getAsString())) {
                throw new RoentgenException(where + ": label '" + e.getAsString() + "' appears twice");
            }
            labels.add(e.getAsString());
        }
        return labels;
    }

    private static ArchitectureSpec architecture(JsonObject a, String where) throws RoentgenException {
        String w = where + ": \"architecture\"";
        return new ArchitectureSpec(string(a, "name", w), integer(a, "inChannels", w), integer(a, "numClasses", w),
                integer(a, "imageSize", w), a.has("multiLabel") && bool(a, "multiLabel", w));
    }

    private static InputShape input(JsonObject i, String where) throws RoentgenException {
        String w = where + ": \"input\"";
        int c = integer(i, "channels", w);
        int h = integer(i, "height", w);
        int wd = integer(i, "width", w);
        if (c <= 0 || h <= 0 || wd <= 0) {
            throw new RoentgenException(w + " must be positive, got " + c + "x" + h + "x" + wd);
        }
        return new InputShape(c, h, wd);
    }

    /** Missing labels get the default 0.5; a threshold for an unknown label is an error. */
    private static float[] thresholds(JsonObject o, List<String> labels, String where) throws RoentgenException {
        float[] thresholds = new float[labels.size()];
        Arrays.fill(thresholds, BundleManifest.DEFAULT_THRESHOLD);
        if (!o.has("thresholds") || o.get("thresholds").isJsonNull()) {
            return thresholds;
        }
        JsonObject t = object(o, "thresholds", where);
        for (Map.Entry<String, JsonElement> e : t.entrySet()) {
            int index = labels.indexOf(e.getKey());
            if (index < 0) {
                throw new RoentgenException(where + ": threshold for unknown label '" + e.getKey() + "'");
            }
            thresholds[index] = (float) number(e.getValue(), "thresholds." + e.getKey(), where);
        }
        return thresholds;
    }

    private static Map<String, Double> metrics(JsonObject o, String where) throws RoentgenException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (o.has("metrics") && !o.get("metrics").isJsonNull()) {
            for (Map.Entry<String, JsonElement> e : object(o, "metrics", where).entrySet()) {
                metrics.put(e.getKey(), number(e.getValue(), "metrics." + e.getKey(), where));
            }
        }
        return metrics;
    }

    private static Provenance provenance(JsonObject o) {
        if (!o.has("provenance") || !o.get("provenance").isJsonObject()) {
            return Provenance.unknown();
        }
        JsonObject p = o.getAsJsonObject("provenance");
        return new Provenance(optionalString(p, "manifestSha256", null), optionalString(p, "split", null),
                p.has("seed") && !p.get("seed").isJsonNull() ? p.get("seed").getAsLong() : null,
                optionalString(p, "roentgenVersion", null), optionalString(p, "djlVersion", null),
                optionalString(p, "pytorchVersion", null), optionalString(p, "created", null),
                optionalString(p, "precision", null));
    }

    // ------------------------------------------------------------------ typed field access

    private static JsonElement required(JsonObject o, String field, String where) throws RoentgenException {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new RoentgenException(where + ": \"" + field + "\" is missing");
        }
        return e;
    }

    private static String string(JsonObject o, String field, String where) throws RoentgenException {
        JsonElement e = required(o, field, where);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new RoentgenException(where + ": \"" + field + "\" must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static String optionalString(JsonObject o, String field, String fallback) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? fallback : e.getAsString();
    }

    private static int integer(JsonObject o, String field, String where) throws RoentgenException {
        JsonElement e = required(o, field, where);
        double value = number(e, field, where);
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new RoentgenException(where + ": \"" + field + "\" must be an integer, got " + e);
        }
        return (int) value;
    }

    private static boolean bool(JsonObject o, String field, String where) throws RoentgenException {
        JsonElement e = required(o, field, where);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new RoentgenException(where + ": \"" + field + "\" must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }

    private static double number(JsonElement e, String field, String where) throws RoentgenException {
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isNumber()) {
                return p.getAsDouble();
            }
        }
        throw new RoentgenException(where + ": \"" + field + "\" must be a number, got " + e);
    }

    private static JsonObject object(JsonObject o, String field, String where) throws RoentgenException {
        JsonElement e = required(o, field, where);
        if (!e.isJsonObject()) {
            throw new RoentgenException(where + ": \"" + field + "\" must be an object, got " + e);
        }
        return e.getAsJsonObject();
    }

    private static JsonArray array(JsonObject o, String field, String where) throws RoentgenException {
        JsonElement e = required(o, field, where);
        if (!e.isJsonArray()) {
            throw new RoentgenException(where + ": \"" + field + "\" must be an array, got " + e);
        }
        return e.getAsJsonArray();
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
