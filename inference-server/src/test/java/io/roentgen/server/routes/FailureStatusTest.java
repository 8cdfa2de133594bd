package io.roentgen.server.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.roentgen.engine.RoentgenException;
import io.roentgen.server.admission.MemoryBudget;
import io.roentgen.server.admission.MemoryRefusedException;
import io.roentgen.server.batching.BatchFailure;
import io.roentgen.server.http.ApiException;
import io.roentgen.server.repository.RepositoryException;
import org.junit.jupiter.api.Test;

/** The one mapping from what went wrong below the edge to a status and Retry-After. */
class FailureStatusTest {

    @Test
    void batcherFailures() {
        assertAnswer(503, 1, FailureStatus.of(new BatchFailure.QueueFull("m")));
        assertAnswer(504, 0, FailureStatus.of(new BatchFailure.DeadlinePassed("m")));
        assertAnswer(500, 0, FailureStatus.of(new BatchFailure.Failed("m", new RoentgenException("boom"))));
        assertEquals("model 'm' did not answer within the request timeout", FailureStatus.deadlinePassed("m").getMessage());
    }

    @Test
    void repositoryFailures() {
        assertAnswer(404, 0, FailureStatus.of(new RepositoryException.NotFound("no model 'x'")));
        assertAnswer(503, 5, FailureStatus.of(new RepositoryException.Unavailable("loading", 5)));
        assertAnswer(400, 0, FailureStatus.of(new RepositoryException.LoadFailed("bad bundle", null)));
    }

    @Test
    void memoryRefusals() {
        try (MemoryBudget.Reservation memory = new MemoryBudget(1000).open()) {
            MemoryRefusedException never = memory.refusal(2000);
            assertAnswer(413, 0, FailureStatus.of(never));
            memory.grow(600);
            MemoryRefusedException notNow = memory.refusal(300);
            assertFalse(notNow.exceedsBudget());
            // 600 held + 300 fits the budget, so it is "not now", not "never": 503, retry.
            assertAnswer(503, 1, FailureStatus.of(notNow));
        } catch (MemoryRefusedException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertAnswer(int status, int retryAfter, ApiException answer) {
        assertEquals(status, answer.status(), answer.getMessage());
        assertEquals(retryAfter, answer.retryAfterSeconds(), answer.getMessage());
    }
}
