package io.roentgen.server.routes;

import io.roentgen.server.admission.MemoryRefusedException;
import io.roentgen.server.batching.BatchFailure;
import io.roentgen.server.http.ApiException;
import io.roentgen.server.repository.RepositoryException;
import io.roentgen.server.security.AccessDenied;

/**
 * The one place where what went wrong below the HTTP edge becomes a status: the batcher, the
 * repository and the memory budget report failures in their own terms, and this maps them.
 * Transient conditions answer 503 with {@code Retry-After}, so that a client backs off and retries.
 */
public final class FailureStatus {
    private FailureStatus() {}

    /** Queue full: 503, retry in a second; deadline passed: 504; forward pass failed: 500. */
    public static ApiException of(BatchFailure failure) {
        if (failure instanceof BatchFailure.QueueFull) {
            return new ApiException(503, failure.getMessage(), 1, failure);
        }
        if (failure instanceof BatchFailure.DeadlinePassed) {
            return new ApiException(504, failure.getMessage(), 0, failure);
        }
        return new ApiException(500, failure.getMessage(), 0, failure);
    }

    /** No such model: 404; loading, unloaded or reloading: 503 with the repository's retry hint; a failed load: 400. */
    public static ApiException of(RepositoryException failure) {
        if (failure instanceof RepositoryException.NotFound) {
            return new ApiException(404, failure.getMessage(), 0, failure);
        }
        if (failure instanceof RepositoryException.Unavailable unavailable) {
            return new ApiException(503, failure.getMessage(), unavailable.retryAfterSeconds(), failure);
        }
        return new ApiException(400, failure.getMessage(), 0, failure);
    }

    /** More than the whole budget: 413 (retrying cannot help); no room now: 503, retry in a second. */
    public static ApiException of(MemoryRefusedException refusal) {
        return refusal.exceedsBudget()
                ? new ApiException(413, refusal.getMessage(), 0, refusal)
                : new ApiException(503, refusal.getMessage(), 1, refusal);
    }

    /** No or unknown token: 401; a caller without the route's role, or a network caller of a loopback-only route: 403. */
    public static ApiException of(AccessDenied denied) {
        return new ApiException(denied instanceof AccessDenied.Unauthenticated ? 401 : 403, denied.getMessage(), 0, denied);
    }

    /** The explanation queue is full: 503, retry in a second. */
    static ApiException explanationQueueFull(java.util.concurrent.RejectedExecutionException e) {
        return new ApiException(503, "the explanation queue is full; retry shortly", 1, e);
    }

    /** An explanation failed: 400 for a request the explainer refuses (unknown class, TorchScript model), else 500. */
    static ApiException explanationFailed(Throwable cause) {
        if (cause instanceof io.roentgen.engine.RoentgenException e && e.isUsageError()) {
            return new ApiException(400, e.getMessage(), 0, e);
        }
        return new ApiException(500, "explanation failed: " + cause.getMessage(), 0, cause);
    }

    /** The answer for a request that was not answered within its deadline. */
    static ApiException deadlinePassed(String model) {
        return of(new BatchFailure.DeadlinePassed(model));
    }
}
