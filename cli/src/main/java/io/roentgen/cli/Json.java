package io.roentgen.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON style of the CLI's {@code --json} outputs. */
final class Json {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    private Json() {}

    static String of(Object value) {
        return GSON.toJson(value);
    }

    /** A file and why it was not used, in that order (a {@code Map.of}'s order changes from run to run). */
    static Map<String, String> pathAndReason(Path path, String reason) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("path", path.toString());
        o.put("reason", reason);
        return o;
    }
}
