package io.roentgen.server.http;

import io.roentgen.server.security.TlsSettings;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads the TLS identity and client CAs when their files change, without a restart: open
 * connections keep their session, new handshakes get the new certificate
 * ({@link SslContextFactory#reload}). The files are polled (modification time and size), which
 * also sees a file replaced by rename, as certificate tools do. A change that does not load (a
 * half-written file, a key that does not match the certificate) keeps the old identity and is
 * retried on the next change.
 */
final class CertificateReloader extends AbstractLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);
    private final SslContextFactory.Server ssl;
    private final TlsSettings tls;
    private ScheduledExecutorService timer;
    private List<String> seen;

    CertificateReloader(SslContextFactory.Server ssl, TlsSettings tls) {
        this.ssl = ssl;
        this.tls = tls;
    }

    @Override
    protected void doStart() {
        seen = fingerprints();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::check, tls.reloadCheckMillis(), tls.reloadCheckMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
    }

    private void check() {
        List<String> now = fingerprints();
        if (now.equals(seen)) {
            return;
        }
        try {
            ssl.reload(factory -> {
                try {
                    TlsContexts.load((SslContextFactory.Server) factory, tls);
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            seen = now;
            LOG.info("TLS certificates reloaded from {}", tls.files());
        } catch (Exception e) {
            // Keeps the old identity; the fingerprint is not taken, so the next poll tries again.
            LOG.warn("TLS certificates changed but do not load yet, keeping the old ones: {}", e.getMessage());
        }
    }

    private List<String> fingerprints() {
        List<String> prints = new ArrayList<>();
        for (Path file : tls.files()) {
            try {
                prints.add(Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file));
            } catch (IOException e) {
                prints.add("missing");
            }
        }
        return prints;
    }
}
