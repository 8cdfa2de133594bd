package io.roentgen.dicom.image;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

/** Reads spec records from JSON with one error type: {@link IllegalArgumentException} saying what is wrong. */
final class SpecJson {
    private SpecJson() {}

    static <T> T read(Gson gson, String json, Class<T> type, String what) {
        T value;
        try {
            value = gson.fromJson(json, type);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("bad " + what + " JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson wraps what a record's constructor rejects; surface the constructor's own message.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException invalid) {
                    throw new IllegalArgumentException("bad " + what + ": " + invalid.getMessage(), e);
                }
            }
            throw e;
        }
        if (value == null) {
            throw new IllegalArgumentException("empty " + what + " JSON");
        }
        return value;
    }
}
