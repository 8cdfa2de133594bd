package io.roentgen.server.security;

import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call a route. With a token table, every route but health needs a bearer token that
 * carries the route's role. Without one, the server is as open as its address, except for the
 * admin routes (load, unload, index): those answer loopback clients only, so that binding to a
 * network address does not hand model control to the network.
 */
public final class AccessControl {
    private static final String BEARER = "Bearer ";
    private final TokenTable tokens;

    /** @param tokens the accepted tokens, or null for none */
    public AccessControl(TokenTable tokens) {
        this.tokens = tokens;
    }

    /**
     * The caller's name for the audit log (token id, else client certificate subject, else
     * "anonymous"), or the refusal.
     *
     * @param routeRoles    the roles the matched route declared
     * @param authorization the Authorization header, or null
     * @param client        the peer's address
     * @param certSubject   the verified client certificate's subject, or null
     */
    public String check(Set<?> routeRoles, String authorization, InetAddress client, String certSubject) throws AccessDenied {
        Role needed = needed(routeRoles);
        String anonymous = certSubject != null ? certSubject : "anonymous";
        if (needed == Role.ANYONE) {
            return anonymous;
        }
        if (tokens == null) {
            if (needed == Role.ADMIN && !client.isLoopbackAddress()) {
                throw new AccessDenied.Forbidden("admin routes answer loopback clients only while no token file is configured; "
                        + "start the server with --auth-token-file to reach them from the network", anonymous);
            }
            return anonymous;
        }
        Optional<TokenTable.Token> token = bearer(authorization).flatMap(tokens::match);
        if (token.isEmpty()) {
            throw new AccessDenied.Unauthenticated("missing or wrong bearer token");
        }
        if (!token.get().roles().contains(needed)) {
            throw new AccessDenied.Forbidden("token '" + token.get().id() + "' lacks the role " + needed.label(), token.get().id());
        }
        return token.get().id();
    }

    /** The role the route declared; a route that declared none is treated as admin (closed by default). */
    static Role needed(Set<?> routeRoles) {
        for (Role role : Role.values()) {
            if (routeRoles.contains(role)) {
                return role;
            }
        }
        return Role.ADMIN;
    }

    private static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).trim());
    }
}
