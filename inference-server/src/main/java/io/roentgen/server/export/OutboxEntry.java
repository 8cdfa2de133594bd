package io.roentgen.server.export;

/**
 * The sidecar of one pending object ({@code <id>.json} next to {@code <id>.dcm}): where it goes
 * and how its delivery went so far. It is written after the object, so an object without a
 * sidecar is a write a crash cut short and is removed at start.
 *
 * @param id             file name stem, time-ordered
 * @param destination    the destination URI
 * @param sopInstanceUid the object's SOP Instance UID (to read the archive's answer; never logged)
 * @param attempts       failed attempts so far
 * @param nextAttemptMs  epoch milliseconds of the next try
 * @param lastError      why the last attempt failed, or null
 * @param createdMs      epoch milliseconds it was queued
 * @param finishedMs     epoch milliseconds it was delivered or given up, or 0
 */
public record OutboxEntry(String id, String destination, String sopInstanceUid, int attempts, long nextAttemptMs,
        String lastError, long createdMs, long finishedMs) {

    OutboxEntry failedAttempt(String error, long nextMs) {
        return new OutboxEntry(id, destination, sopInstanceUid, attempts + 1, nextMs, error, createdMs, 0);
    }

    OutboxEntry finished(String error, int totalAttempts, long nowMs) {
        return new OutboxEntry(id, destination, sopInstanceUid, totalAttempts, nextAttemptMs, error, createdMs, nowMs);
    }
}
