package io.roentgen.server.security;

/**
 * A request refused by {@link AccessControl}, in its own terms: the edge maps
 * {@link Unauthenticated} to 401 and {@link Forbidden} to 403.
 */
public abstract sealed class AccessDenied extends Exception permits AccessDenied.Unauthenticated, AccessDenied.Forbidden {
    private final String who;

    private AccessDenied(String message, String who) {
        super(message, null, false, false);
        this.who = who;
    }

    /** The caller, where known (a valid token without the role): the audit log names it. */
    public String who() {
        return who;
    }

    /** No token, or one the server does not know. */
    public static final class Unauthenticated extends AccessDenied {
        public Unauthenticated(String message) {
            super(message, null);
        }
    }

    /** Known caller, or a network caller of a loopback-only route, without the role the route needs. */
    public static final class Forbidden extends AccessDenied {
        public Forbidden(String message, String who) {
            super(message, who);
        }
    }
}
