package io.roentgen.server.security;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;

/**
 * The before-matched handler that applies {@link AccessControl} to the matched route's declared
 * role, with the peer's socket address (never a forwarded-for header, which a client can write)
 * and the client certificate that TLS verified, and notes the caller for the audit log.
 */
public final class AccessGate implements Handler {
    private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";
    private final AccessControl control;

    public AccessGate(AccessControl control) {
        this.control = control;
    }

    @Override
    public void handle(Context ctx) throws AccessDenied, UnknownHostException {
        try {
            RequestFacts.who(ctx, control.check(ctx.routeRoles(), ctx.header("Authorization"), peer(ctx), certificateSubject(ctx)));
        } catch (AccessDenied denied) {
            RequestFacts.who(ctx, denied.who());
            throw denied;
        }
    }

    /** The socket peer: an address literal, so no name lookup happens. */
    static InetAddress peer(Context ctx) throws UnknownHostException {
        return InetAddress.getByName(ctx.req().getRemoteAddr());
    }

    /** The subject of the client certificate verified by mutual TLS, or null. */
    public static String certificateSubject(Context ctx) {
        Object chain = ctx.req().getAttribute(CERTIFICATES);
        if (chain instanceof X509Certificate[] certificates && certificates.length > 0) {
            return certificates[0].getSubjectX500Principal().getName();
        }
        return null;
    }
}
