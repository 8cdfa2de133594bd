package io.roentgen.dicom.net;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Groups stored instances by (calling AE, Study Instance UID) and hands a study to its listener
 * once nothing new has arrived for the quiet period. After the listener returns, each instance gets
 * a {@code <instance>.dcm.done} marker next to it (fsynced), so a restart, which re-scans the
 * spool for instances without one, scores nothing twice; a crash between the two scores a study
 * again, which is the only way an instance is scored twice. A study whose listener fails (its SR
 * could not be queued, the model is not loaded) gets no markers and is tried again after a capped
 * exponential backoff, so a full disk or an unwritable outbox delays its result but never drops it.
 */
public final class StudyAssembler implements InstanceListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StudyAssembler.class.getName());
    static final String DONE = ".done";
    private static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_RETRY_NANOS = TimeUnit.MINUTES.toNanos(5);

    private record Key(String callingAe, String studyUid) {}

    private static final class Pending {
        final List<StoredInstance> instances = new ArrayList<>();
        long lastArrival;
        /** Failed tries so far, and not to be tried again before this (System.nanoTime). */
        int failures;
        long notBefore;
    }

    private final long quietNanos;
    private final StudyListener listener;
    private final Map<Key, Pending> pending = new LinkedHashMap<>();
    private final ScheduledExecutorService timer;
    private final java.util.concurrent.atomic.AtomicLong failedTries = new java.util.concurrent.atomic.AtomicLong();

    public StudyAssembler(long quietMillis, StudyListener listener) {
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(quietMillis);
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dicom-study-assembler");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(20, quietMillis / 4);
        timer.scheduleWithFixedDelay(this::completeQuietStudies, tick, tick, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stored(StoredInstance instance) {
        synchronized (pending) {
            Pending p = pending.computeIfAbsent(new Key(instance.callingAe(), instance.studyInstanceUid()), k -> new Pending());
            p.instances.removeIf(i -> i.sopInstanceUid().equals(instance.sopInstanceUid())); // a resend replaces
            p.instances.add(instance);
            p.lastArrival = System.nanoTime();
        }
    }

    /** Tries of a study whose listener failed (each is retried with backoff). */
    public long failedTries() {
        return failedTries.get();
    }

    /** Studies waiting for their quiet period. */
    public int pendingStudies() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /**
     * Feeds every spooled instance without a done marker back in, as if it had just arrived: the
     * studies a crash or a stop left unscored. Returns how many instances it found.
     */
    public int rescan(Spool spool) throws IOException {
        int found = 0;
        for (Path aeDir : list(spool.studies())) {
            String ae = Spool.aeTitleOf(aeDir.getFileName().toString());
            for (Path studyDir : list(aeDir)) {
                for (Path file : list(studyDir)) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".dcm") && !Files.exists(file.resolveSibling(name + DONE))) {
                        String sop = name.substring(0, name.length() - 4);
                        stored(new StoredInstance(ae, studyDir.getFileName().toString(), null, sop, null, file));
                        found++;
                    }
                }
            }
        }
        return found;
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                s.forEach(paths::add);
            }
        }
        paths.sort(null);
        return paths;
    }

    private void completeQuietStudies() {
        List<Map.Entry<Key, Pending>> due = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (pending) {
            Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Key, Pending> e = it.next();
                if (now - e.getValue().lastArrival >= quietNanos 
                        && (e.getValue().failures == 0 || now - e.getValue().notBefore >= 0)) {
                    due.add(e);
                    it.remove();
                }
            }
        }
        for (Map.Entry<Key, Pending> e : due) {
            complete(e.getKey(), e.getValue());
        }
    }

    private void complete(Key key, Pending study) {
        List<StoredInstance> instances = study.instances;
        try {
            listener.studyComplete(key.callingAe(), key.studyUid(), List.copyOf(instances));
        } catch (Exception | Error e) {
            // Left without markers (a restart retries it too); no identifiers in the log.
            long delay = retryDelay(study.failures + 1);
            LOG.log(System.Logger.Level.WARNING, "a study of " + instances.size() + " instances failed (try "
                    + (study.failures + 1) + "), retried in " + TimeUnit.NANOSECONDS.toMillis(delay) + " ms: "
                    + e.getClass().getSimpleName());
            retryLater(key, study, delay);
            // counted once the study is pending again, so a reader never sees the try counted and the study gone
            failedTries.incrementAndGet();
            return;
        }
        for (StoredInstance i : instances) {
            markDone(i.file());
        }
    }

    static long retryDelay(int failures) {
        return Math.min(MAX_RETRY_NANOS, FIRST_RETRY_NANOS << Math.min(20, failures - 1));
    }

    /** Puts a failed study back, merged with whatever of it arrived meanwhile, due after the delay. */
    private void retryLater(Key key, Pending failed, long delay) {
        synchronized (pending) {
            Pending p = pending.computeIfAbsent(key, k -> new Pending());
            for (StoredInstance i : failed.instances) {
                if (p.instances.stream().noneMatch(x -> x.sopInstanceUid().equals(i.sopInstanceUid()))) {
                    p.instances.add(i);
                }
            }
            p.lastArrival = Math.max(p.lastArrival, failed.lastArrival);
            p.failures = failed.failures + 1;
            p.notBefore = System.nanoTime() + delay;
        }
    }

    private static void markDone(Path file) {
        Path marker = file.resolveSibling(file.getFileName() + DONE);
        try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write a done marker: " + e.getMessage());
        }
        Spool.fsyncDirectory(file.getParent());
    }

    /** Stops the timer; studies still waiting are picked up by the next start's re-scan. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
