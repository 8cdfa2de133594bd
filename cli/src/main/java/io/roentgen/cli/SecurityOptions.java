package io.roentgen.cli;

import io.roentgen.engine.RoentgenException;
import io.roentgen.server.ServerAssembly;
import io.roentgen.server.security.SecuritySettings;
import io.roentgen.server.security.TlsSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code roentgen serve}'s TLS, mutual TLS and audit log flags ({@code @Mixin}); tokens stay on --auth-token-file. */
final class SecurityOptions {
    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this certificate chain (PEM, leaf first); "
            + "reloaded when the file changes.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The certificate's private key (PEM PKCS#8, RSA or EC).")
    Path tlsKey;

    @Option(names = "--tls-keystore", paramLabel = "P12", description = "Serve HTTPS with the key and chain of a PKCS12 file "
            + "(instead of --tls-cert/--tls-key).")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD", defaultValue = "${env:ROENTGEN_TLS_KEYSTORE_PASSWORD}",
            description = "The PKCS12 password (default: the ROENTGEN_TLS_KEYSTORE_PASSWORD environment variable).")
    String tlsKeystorePassword;

    @Option(names = "--tls-client-ca", paramLabel = "PEM", description = "Mutual TLS: require a client certificate issued by "
            + "one of these CAs (PEM).")
    Path tlsClientCa;

    @Option(names = "--audit-log", paramLabel = "FILE", description = "Append one JSON line per request: time, who, client "
            + "address, route, model, hashed study UIDs, status. No patient identifiers.")
    Path auditLog;

    @Option(names = "--audit-key-file", paramLabel = "FILE", description = "Key (16+ bytes) for the audit log's study hashes, "
            + "so they link across runs (default: a random key per run).")
    Path auditKeyFile;

    void applyTo(ServerAssembly assembly) throws RoentgenException {
        boolean tls = tlsCert != null || tlsKey != null || tlsKeystore != null || tlsClientCa != null;
        try {
            SecuritySettings settings = SecuritySettings.NONE.withAudit(auditLog, auditKeyFile);
            assembly.security(!tls ? settings
                    : settings.withTls(new TlsSettings(tlsCert, tlsKey, tlsKeystore, tlsKeystorePassword, tlsClientCa, 1000)));
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage(e.getMessage());
        }
        if (auditKeyFile != null && auditLog == null) {
            throw RoentgenException.usage("--audit-key-file needs --audit-log");
        }
    }
}
