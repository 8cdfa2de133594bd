package io.roentgen.server.security;

import io.javalin.security.RouteRole;

import java.util.Locale;

/**
 * What a token may do. Every route declares the one role it needs when it is registered
 * ({@code app.post(path, handler, Role.INFER)}); a route that declares none is treated as
 * {@link #ADMIN}, so a route added without thought is closed rather than open.
 */
public enum Role implements RouteRole {
    /** Open to anyone who reaches the port: health only. */
    ANYONE,
    /** Classify, KServe infer and metadata, STOW-RS, results. */
    INFER,
    /** Repository index, load and unload. */
    ADMIN,
    /** The Prometheus scrape. */
    METRICS;

    /** The name used in token files and messages. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A role as a token file writes it: infer, admin or metrics. */
    public static Role parse(String text) {
        for (Role role : values()) {
            if (role != ANYONE && role.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (roles: infer, admin, metrics)");
    }
}
