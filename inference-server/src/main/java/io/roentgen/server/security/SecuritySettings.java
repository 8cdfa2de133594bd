package io.roentgen.server.security;

import java.nio.file.Path;

/**
 * The server's security settings: who may call what, over which transport, and where it is written down.
 *
 * @param tokens       accepted bearer tokens and their roles, or null: then every route but the
 *                     admin ones is open, and those answer loopback clients only
 * @param tls          TLS (and mutual TLS) settings, or null for plain HTTP
 * @param auditLog     the JSONL audit log, or null for none
 * @param auditKeyFile the key study UIDs are hashed with in the audit log, or null for a random per-run key
 */
public record SecuritySettings(TokenTable tokens, TlsSettings tls, Path auditLog, Path auditKeyFile) {
    /** No tokens, plain HTTP, no audit log: the loopback-only admin default. */
    public static final SecuritySettings NONE = new SecuritySettings(null, null, null, null);

    public SecuritySettings withTokens(TokenTable value) {
        return new SecuritySettings(value, tls, auditLog, auditKeyFile);
    }

    public SecuritySettings withTls(TlsSettings value) {
        return new SecuritySettings(tokens, value, auditLog, auditKeyFile);
    }

    public SecuritySettings withAudit(Path log, Path keyFile) {
        return new SecuritySettings(tokens, tls, log, keyFile);
    }
}
