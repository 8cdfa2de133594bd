package io.roentgen.server.export;

import com.google.gson.Gson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A durable outbox of results on their way to destinations. Each object waits in
 * {@code pending/} as {@code <id>.dcm} plus a JSON sidecar ({@link OutboxEntry}), both fsynced
 * before {@link #enqueue} returns; one worker thread sends what is due, retries with capped
 * exponential backoff, and moves each object with its sidecar to {@code done/}, or to
 * {@code failed/} with the reason when the destination refused it or the attempts ran out. A
 * restart picks up {@code pending/} where it stopped, so a PACS that is down for hours still gets
 * every result.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final Gson GSON = new Gson();
    private static final String OBJECT = ".dcm";
    private static final String SIDECAR = ".json";

    private final Path pending;
    private final Path done;
    private final Path failed;
    private final List<ResultSender> senders;
    private final Backoff backoff;
    private final Clock clock;
    private final Object wake = new Object();
    /** A destination that just failed is left alone until its entry's next try, so its queue does not spin. */
    private final Map<String, Long> destinationPausedUntil = new HashMap<>();
    private final Thread worker;
    private volatile boolean running = true;
    private boolean nudged;
    /** How long delivered entries stay in done/; null keeps them. */
    private volatile java.time.Duration doneRetention;
    private long lastPruneMs;

    public Outbox(Path directory, List<ResultSender> senders, Backoff backoff) throws IOException {
        this(directory, senders, backoff, Clock.systemUTC());
    }

    Outbox(Path directory, List<ResultSender> senders, Backoff backoff, Clock clock) throws IOException {
        this.pending = Files.createDirectories(directory.resolve("pending"));
        this.done = Files.createDirectories(directory.resolve("done"));
        this.failed = Files.createDirectories(directory.resolve("failed"));
        this.senders = List.copyOf(senders);
        this.backoff = backoff;
        this.clock = clock;
        removeTornWrites();
        this.worker = new Thread(this::run, "roentgen-outbox");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues one Part 10 object for one destination; on disk (fsynced) when this returns. */
    public OutboxEntry enqueue(byte[] part10, String sopInstanceUid, ResultDestination destination) throws IOException {
        return enqueue(part10, sopInstanceUid, List.of(destination)).get(0);
    }

    /**
     * Queues one Part 10 object for every destination, all or none: the objects and the sidecars
     * (as hidden temporary files) are written and fsynced first, and only then renamed into place,
     * so a failed write leaves nothing queued and the caller can retry without sending twice.
     */
    public List<OutboxEntry> enqueue(byte[] part10, String sopInstanceUid, List<ResultDestination> destinations)
            throws IOException {
        List<OutboxEntry> entries = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        try {
            for (ResultDestination destination : destinations) {
                long now = clock.millis();
                String id = String.format("%013d-%s", now, UUID.randomUUID().toString().substring(0, 8));
                OutboxEntry entry = new OutboxEntry(id, destination.uri(), sopInstanceUid, 0, now, null, now, 0);
                Path object = pending.resolve(id + OBJECT);
                written.add(object); // an object without its sidecar is invisible to the worker
                writeDurably(object, part10);
                Path staged = staging(pending.resolve(id + SIDECAR));
                written.add(staged);
                writeTemporary(staged, GSON.toJson(entry).getBytes(StandardCharsets.UTF_8));
                entries.add(entry);
            }
            for (OutboxEntry entry : entries) {
                Path sidecar = pending.resolve(entry.id() + SIDECAR);
                Files.move(staging(sidecar), sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                written.add(sidecar);
            }
            forceDirectory(pending);
        } catch (IOException | RuntimeException e) {
            for (Path p : written) {
                deleteQuietly(p);
            }
            throw e;
        }
        nudge();
        return entries;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the same failure that brought us here; a restart removes torn writes
        }
    }

    /** Entries waiting, in queue order. */
    public List<OutboxEntry> pending() throws IOException {
        return entries(pending);
    }

    public List<OutboxEntry> done() throws IOException {
        return entries(done);
    }

    public List<OutboxEntry> failed() throws IOException {
        return entries(failed);
    }

    /**
     * Retention: the worker deletes entries from {@code done/} once they were delivered this long
     * ago (checked every retention/10, between 1 minute and 1 hour); null or negative keeps them.
     * {@code pending/} is never pruned, and neither is {@code failed/}: those are results no PACS
     * has, kept for an operator to look at or resend.
     */
    public void retainDone(java.time.Duration retention) {
        doneRetention = retention == null || retention.isNegative() ? null : retention;
        nudge();
    }

    /** Deletes the entries of done/ finished before {@code finishedBefore}; returns how many. */
    public int pruneDone(java.time.Instant finishedBefore) throws IOException {
        int pruned = 0;
        List<Path> sidecars;
        try (Stream<Path> files = Files.list(done)) {
            sidecars = files.filter(p -> p.getFileName().toString().endsWith(SIDECAR)).toList();
        }
        for (Path sidecar : sidecars) {
            if (Files.getLastModifiedTime(sidecar).toInstant().isBefore(finishedBefore)) {
                String name = sidecar.getFileName().toString();
                // The object first: a sidecar alone is still listed, and pruned at the next sweep.
                Files.deleteIfExists(done.resolve(name.substring(0, name.length() - SIDECAR.length()) + OBJECT));
                Files.deleteIfExists(sidecar);
                pruned++;
            }
        }
        return pruned;
    }

    private long pruneEveryMs() {
        long tenth = doneRetention.toMillis() / 10;
        return Math.max(60_000, Math.min(3_600_000, tenth));
    }

    /** Prunes done/ when retention is on and a sweep is due; returns when the next sweep is due. */
    private long pruneIfDue() {
        java.time.Duration retention = doneRetention;
        if (retention == null) {
            return Long.MAX_VALUE / 2;
        }
        long now = clock.millis();
        if (now - lastPruneMs >= pruneEveryMs()) {
            lastPruneMs = now;
            try {
                int n = pruneDone(clock.instant().minus(retention));
                if (n > 0) {
                    LOG.info("outbox: retention deleted {} delivered entr{} from done/", n, n == 1 ? "y" : "ies");
                }
            } catch (IOException e) {
                LOG.warn("outbox: retention cannot prune {}: {}", done, e.getMessage());
            }
        }
        return lastPruneMs + pruneEveryMs();
    }

    /** Wakes the worker to try every due entry now (a new object, or a destination said to be back). */
    public void nudge() {
        synchronized (wake) {
            nudged = true;
            wake.notifyAll();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        worker.interrupt();
        worker.join(30_000);
    }

    // ------------------------------------------------------------------ the worker

    private void run() {
        while (running) {
            long nextDue;
            try {
                nextDue = sendDue();
            } catch (IOException e) {
                LOG.warn("outbox: cannot read {}: {}", pending, e.getMessage());
                nextDue = clock.millis() + backoff.initial().toMillis();
            } catch (InterruptedException e) {
                return;
            }
            nextDue = Math.min(nextDue, pruneIfDue());
            try {
                synchronized (wake) {
                    long wait = nextDue - clock.millis();
                    if (!nudged && wait > 0) {
                        wake.wait(wait);
                    }
                    nudged = false;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Sends every due entry once; returns when the next one falls due (far ahead when none waits). */
    private long sendDue() throws IOException, InterruptedException {
        long next = Long.MAX_VALUE / 2;
        for (OutboxEntry entry : entries(pending)) {
            if (!running) {
                break;
            }
            long now = clock.millis();
            long due = Math.max(entry.nextAttemptMs(), destinationPausedUntil.getOrDefault(entry.destination(), 0L));
            if (due > now) {
                next = Math.min(next, due);
                continue;
            }
            OutboxEntry after = attempt(entry);
            if (after != null) {
                next = Math.min(next, after.nextAttemptMs());
            }
        }
        return next;
    }

    /** One try; the entry as it stays pending, or null when it left pending. */
    private OutboxEntry attempt(OutboxEntry entry) throws IOException, InterruptedException {
        byte[] object;
        try {
            object = Files.readAllBytes(pending.resolve(entry.id() + OBJECT));
        } catch (IOException e) {
            finish(entry, failed, "the queued object cannot be read: " + e.getMessage(), entry.attempts());
            return null;
        }
        try {
            ResultDestination destination = ResultDestination.parse(entry.destination());
            sender(destination).send(object, entry.sopInstanceUid(), destination);
            finish(entry, done, null, entry.attempts() + 1);
            destinationPausedUntil.remove(entry.destination());
            LOG.info("outbox: {} delivered to {} after {} attempt(s)", entry.id(), entry.destination(), entry.attempts() + 1);
            return null;
        } catch (SendException e) {
            return failedAttempt(entry, e.getMessage(), e.retryable());
        } catch (IllegalArgumentException e) {
            return failedAttempt(entry, e.getMessage(), false);
        }
    }

    private OutboxEntry failedAttempt(OutboxEntry entry, String why, boolean retryable) throws IOException {
        int attempts = entry.attempts() + 1;
        if (!retryable || attempts >= backoff.maxAttempts()) {
            String reason = retryable ? "gave up after " + attempts + " attempts: " + why : why;
            finish(entry, failed, reason, attempts);
            LOG.warn("outbox: {} to {} failed for good: {}", entry.id(), entry.destination(), reason);
            return null;
        }
        long next = clock.millis() + backoff.delayAfter(attempts).toMillis();
        OutboxEntry updated = entry.failedAttempt(why, next);
        writeDurably(pending.resolve(entry.id() + SIDECAR), GSON.toJson(updated).getBytes(StandardCharsets.UTF_8));
        destinationPausedUntil.put(entry.destination(), next);
        LOG.info("outbox: {} to {} attempt {} failed, next in {} ms: {}", entry.id(), entry.destination(), attempts,
                next - clock.millis(), why);
        return updated;
    }

    private ResultSender sender(ResultDestination destination) throws SendException {
        for (ResultSender s : senders) {
            if (s.handles(destination)) {
                return s;
            }
        }
        // Kept and retried: a later start with a sender for this kind delivers it.
        throw new SendException("no sender for " + destination.uri() + " in this server", true);
    }

    /** Moves the object, then its updated sidecar, out of pending (the sidecar last: it marks the entry). */
    private void finish(OutboxEntry entry, Path to, String reason, int attempts) throws IOException {
        OutboxEntry last = entry.finished(reason, attempts, clock.millis());
        Path object = pending.resolve(entry.id() + OBJECT);
        if (Files.exists(object)) {
            Files.move(object, to.resolve(entry.id() + OBJECT), StandardCopyOption.REPLACE_EXISTING);
        }
        writeDurably(to.resolve(entry.id() + SIDECAR), GSON.toJson(last).getBytes(StandardCharsets.UTF_8));
        Files.deleteIfExists(pending.resolve(entry.id() + SIDECAR));
        forceDirectory(pending);
    }

    // ------------------------------------------------------------------ files

    private List<OutboxEntry> entries(Path dir) throws IOException {
        List<Path> sidecars;
        try (Stream<Path> files = Files.list(dir)) {
            sidecars = files.filter(p -> p.getFileName().toString().endsWith(SIDECAR) && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        List<OutboxEntry> out = new ArrayList<>();
        for (Path sidecar : sidecars) {
            try {
                out.add(GSON.fromJson(Files.readString(sidecar, StandardCharsets.UTF_8), OutboxEntry.class));
            } catch (IOException | RuntimeException e) {
                LOG.warn("outbox: unreadable sidecar {}: {}", sidecar.getFileName(), e.getMessage());
            }
        }
        return out;
    }

    /**
     * Repairs what a crash cut short: temporary files and objects whose sidecar never got written
     * are removed (nobody was told they were queued); a sidecar whose object already moved to
     * done/ or failed/ follows it there.
     */
    private void removeTornWrites() throws IOException {
        try (Stream<Path> files = Files.list(pending)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                String stem = name.substring(0, Math.max(0, name.lastIndexOf('.')));
                if (name.startsWith(".") || name.endsWith(OBJECT) && !Files.exists(pending.resolve(stem + SIDECAR))) {
                    Files.deleteIfExists(p);
                } else if (name.endsWith(SIDECAR) && !Files.exists(pending.resolve(stem + OBJECT))) {
                    for (Path to : List.of(done, failed)) {
                        if (Files.exists(to.resolve(stem + OBJECT)) && !Files.exists(to.resolve(stem + SIDECAR))) {
                            Files.move(p, to.resolve(stem + SIDECAR));
                        }
                    }
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Writes a temporary file, fsyncs it, renames it into place and fsyncs the folder. */
    static void writeDurably(Path target, byte[] bytes) throws IOException {
        Path tmp = staging(target);
        writeTemporary(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    /** The hidden name a file is written under before it is renamed into place. */
    private static Path staging(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    private static void writeTemporary(Path tmp, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every file system lets a folder be opened for fsync; the rename is still atomic.
        }
    }
}
