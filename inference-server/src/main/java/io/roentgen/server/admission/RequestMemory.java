package io.roentgen.server.admission;

import io.javalin.http.Context;

/** The memory reservation of the request being handled, kept on its context. */
public final class RequestMemory {
    private static final String KEY = "roentgen.memory";

    private RequestMemory() {}

    public static void attach(Context ctx, MemoryBudget.Reservation reservation) {
        ctx.attribute(KEY, reservation);
    }

    /** The request's reservation; a fresh unbudgeted one outside a server (tests of single routes). */
    public static MemoryBudget.Reservation of(Context ctx) {
        MemoryBudget.Reservation reservation = ctx.attribute(KEY);
        if (reservation == null) {
            throw new IllegalStateException("no memory reservation on this request");
        }
        return reservation;
    }

    /** Releases the request's memory, once the response is sent. */
    public static void release(Context ctx) {
        MemoryBudget.Reservation reservation = ctx.attribute(KEY);
        if (reservation != null) {
            reservation.close();
        }
    }
}
