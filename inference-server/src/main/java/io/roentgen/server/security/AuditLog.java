package io.roentgen.server.security;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.javalin.http.Context;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Who did what, when, from where: an append-only JSONL file, one {@link Entry} a request, each
 * line written and flushed whole. It holds no patient identifiers: the study UID is replaced by
 * HMAC-SHA256 under the audit key, which links the requests of one study without naming it and
 * cannot be confirmed from a candidate UID without the key.
 */
public final class AuditLog implements Closeable {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final int MIN_KEY_BYTES = 16;

    /** The first line of each run: when, and whether study hashes link across runs (a key file) or only within it. */
    public record Start(String time, String event, String key) {}

    /**
     * One request.
     *
     * @param who     token id, else client certificate subject, else "anonymous"
     * @param client  the peer's address
     * @param route   the route template, never the path (no UIDs)
     * @param model   the model asked for, or null
     * @param studies HMAC-SHA256 (hex) of each study UID the request touched
     * @param status  the HTTP status answered
     */
    public record Entry(String time, String who, String client, String method, String route, String model,
            List<String> studies, int status) {}

    private final OutputStream out;
    private final Mac mac;

    private AuditLog(OutputStream out, byte[] key) throws GeneralSecurityException {
        this.out = out;
        this.mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
    }

    /**
     * Opens (creates or appends to) the log. With a key file, study hashes are stable across
     * runs; without one a random key is drawn for this run and the start line says so.
     */
    public static AuditLog open(Path file, Path keyFile) throws IOException {
        byte[] key = keyFile == null ? randomKey() : Files.readAllBytes(keyFile);
        if (key.length < MIN_KEY_BYTES) {
            throw new IOException("audit key file " + keyFile + " holds " + key.length + " bytes; it needs at least " + MIN_KEY_BYTES);
        }
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        try {
            AuditLog log = new AuditLog(out, key);
            log.write(GSON.toJson(new Start(Instant.now().toString(), "start", keyFile == null
                    ? "random per run: study hashes link requests within this run only"
                    : "from the audit key file: study hashes link requests across runs")));
            return log;
        } catch (GeneralSecurityException e) {
            out.close();
            throw new IOException("no HmacSHA256 in this JDK", e);
        }
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** The study UID as the log holds it: HMAC-SHA256 under the audit key, in hex. */
    public synchronized String hashStudy(String studyUid) {
        return HexFormat.of().formatHex(mac.doFinal(studyUid.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Records a finished request under its route template. Health probes are left out: they are
     * open to anyone and would drown the entries that matter.
     */
    public void request(Context ctx, String route) throws IOException {
        if (route.startsWith("/v2/health/")) {
            return;
        }
        String who = RequestFacts.who(ctx);
        if (who == null) {
            String subject = AccessGate.certificateSubject(ctx);
            who = subject != null ? subject : "anonymous";
        }
        List<String> studies = RequestFacts.studies(ctx).stream().map(this::hashStudy).toList();
        record(new Entry(Instant.now().toString(), who, ctx.req().getRemoteAddr(), ctx.method().name(), route,
                RequestFacts.model(ctx), studies, ctx.statusCode()));
    }

    /** Appends the entry and flushes, so that a crash loses at most the line being written. */
    public void record(Entry entry) throws IOException {
        write(GSON.toJson(entry));
    }

    private synchronized void write(String json) throws IOException {
        out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
