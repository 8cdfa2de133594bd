package io.roentgen.server.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.javalin.http.Context;

/** JSON answers with Gson (the project's one JSON library, see docs/DECISIONS.md entry 7). */
public final class Responses {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    /** Every error answer: {@code {"error": message}}. */
    record ErrorBody(String error) {}

    private Responses() {}

    public static void json(Context ctx, int status, Object body) {
        json(ctx, status, body, "application/json");
    }

    public static void json(Context ctx, int status, Object body, String contentType) {
        ctx.status(status).contentType(contentType).result(GSON.toJson(body));
    }

    public static void error(Context ctx, int status, String message) {
        json(ctx, status, new ErrorBody(message == null ? "error" : message));
    }

    public static Gson gson() {
        return GSON;
    }
}
