package io.roentgen.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one JSON style of the CLI's {@code --json} outputs. */
final class Json {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    private Json() {}

    static String of(Object value) {
        return GSON.toJson(value);
    }
}
