package io.roentgen.server.security;

import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/**
 * What a route learnt about a request that the audit log records: the model that answered and
 * the studies touched. Routes note them on the request; the edge reads them when the request ends.
 */
public final class RequestFacts {
    private static final String MODEL = "roentgen.audit.model";
    private static final String STUDIES = "roentgen.audit.studies";
    private static final String WHO = "roentgen.audit.who";

    private RequestFacts() {}

    public static void model(Context ctx, String model) {
        ctx.attribute(MODEL, model);
    }

    /** Notes a study UID (null or repeated ones are ignored). */
    public static void study(Context ctx, String studyUid) {
        List<String> studies = ctx.attribute(STUDIES);
        if (studies == null) {
            studies = new ArrayList<>();
            ctx.attribute(STUDIES, studies);
        }
        if (studyUid != null && !studyUid.isEmpty() && !studies.contains(studyUid)) {
            studies.add(studyUid);
        }
    }

    static void who(Context ctx, String who) {
        ctx.attribute(WHO, who);
    }

    /** The caller as {@link AccessControl} named it, or null when the request did not reach a route. */
    public static String who(Context ctx) {
        return ctx.attribute(WHO);
    }

    /** The model noted, or the route's {@code {model}} parameter, or null. */
    public static String model(Context ctx) {
        String noted = ctx.attribute(MODEL);
        return noted != null ? noted : ctx.pathParamMap().get("model");
    }

    public static List<String> studies(Context ctx) {
        List<String> studies = ctx.attribute(STUDIES);
        return studies == null ? List.of() : List.copyOf(studies);
    }
}
