package io.roentgen.server.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.javalin.http.Context;

/** JSON answers with Gson (the project's one JSON library, see docs/DECISIONS.md entry 7). */
public final class Responses {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final Gson WITHOUT_NULLS = new GsonBuilder().disableHtmlEscaping().create();

    /** Every error answer: {@code {"error": message}}. */
    record ErrorBody(String error) {}

    private Responses() {}

    public static void json(Context ctx, int status, Object body) {
        json(ctx, status, body, "application/json");
    }

    public static void json(Context ctx, int status, Object body, String contentType) {
        ctx.status(status).contentType(contentType).result(GSON.toJson(body));
    }

    /**
     * Like {@link #json(Context, int, Object, String)}, but a null field is left out rather than
     * written as null: for formats in which absence is the meaning (KServe's optional {@code id},
     * DICOM JSON's empty {@code Value}).
     */
    public static void jsonWithoutNulls(Context ctx, int status, Object body, String contentType) {
        ctx.status(status).contentType(contentType).result(WITHOUT_NULLS.toJson(body));
    }

    public static void error(Context ctx, int status, String message) {
        json(ctx, status, new ErrorBody(message == null ? "error" : message));
    }

    public static Gson gson() {
        return GSON;
    }

    /** The Gson of {@link #jsonWithoutNulls}. */
    public static Gson gsonWithoutNulls() {
        return WITHOUT_NULLS;
    }
}
