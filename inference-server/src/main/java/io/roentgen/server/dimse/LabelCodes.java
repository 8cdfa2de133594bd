package io.roentgen.server.dimse;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.sr.Code;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The codes a bundle gives its labels for structured reports: an optional {@code codes.json} in
 * the bundle, {@code {"label": {"value": "...", "scheme": "SCT", "meaning": "..."}}}. A label it does
 * not name gets a code in Roentgen's local scheme.
 */
final class LabelCodes {
    static final String FILE = "codes.json";

    private final Map<String, Code> codes;

    private LabelCodes(Map<String, Code> codes) {
        this.codes = codes;
    }

    static LabelCodes of(Path bundle) {
        Path file = bundle.resolve(FILE);
        Map<String, Code> codes = new HashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
                for (Map.Entry<String, JsonElement> e : json.entrySet()) {
                    JsonObject c = e.getValue().getAsJsonObject();
                    codes.put(e.getKey(), new Code(c.get("value").getAsString(), c.get("scheme").getAsString(),
                            c.get("meaning").getAsString()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw new IllegalStateException(file + " is not {\"label\": {\"value\", \"scheme\", \"meaning\"}}: " + e.getMessage(), e);
            }
        }
        return new LabelCodes(codes);
    }

    Code code(String label) {
        return codes.getOrDefault(label, Code.local(label));
    }
}
