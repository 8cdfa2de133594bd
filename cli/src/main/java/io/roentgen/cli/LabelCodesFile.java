package io.roentgen.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.roentgen.dicom.sr.Code;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.bundle.BundleJson;
import io.roentgen.models.bundle.BundleManifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code roentgen train --codes FILE}: a JSON object from label to {@code {scheme, value, meaning}},
 * read with the bundle's own {@code "codes"} reader and checked against the training labels.
 */
final class LabelCodesFile {
    private LabelCodesFile() {}

    /** The codes, or an empty map without a file; every label must have one. */
    static Map<String, Code> read(Path file, List<String> labels) throws RoentgenException {
        if (file == null) {
            return Map.of();
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw RoentgenException.usage("--codes " + file + ": cannot read: " + e.getMessage());
        } catch (JsonParseException e) {
            throw RoentgenException.usage("--codes " + file + ": not JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) {
            throw RoentgenException.usage("--codes " + file + ": expected {\"label\": {\"scheme\", \"value\", \"meaning\"}}");
        }
        JsonObject wrapped = new JsonObject();
        wrapped.add("codes", root);
        try {
            Map<String, Code> codes = BundleJson.codes(wrapped, "--codes " + file);
            BundleManifest.requireCodeForEveryLabel(labels, codes);
            return codes;
        } catch (RoentgenException e) {
            throw RoentgenException.usage(e.getMessage().startsWith("--codes") ? e.getMessage() : "--codes " + file + ": "
                    + e.getMessage());
        }
    }
}
