package io.roentgen.training;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request to stop training cleanly: the loop finishes the step in progress, writes a resumable
 * checkpoint and returns. The CLI installs {@link #installShutdownHook(Duration)} so Ctrl-C and
 * SIGTERM end a run this way; tests call {@link #requestStop()}.
 */
public final class StopSignal {
    private volatile boolean requested;
    private final CountDownLatch finished = new CountDownLatch(1);

    public void requestStop() {
        requested = true;
    }

    public boolean isStopRequested() {
        return requested;
    }

    /** Called by the training loop when it has returned (checkpoint written, or failed). */
    void markFinished() {
        finished.countDown();
    }

    /** Waits for the loop to return; false if it did not within {@code timeout}. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Registers a JVM shutdown hook that requests a stop and holds the JVM open until the loop has
     * written its checkpoint, at most {@code grace} (SIGKILL cannot be caught; the last complete
     * checkpoint then still stands).
     *
     * @return the hook thread, for {@link Runtime#removeShutdownHook(Thread)}
     */
    public Thread installShutdownHook(Duration grace) {
        Thread hook = new Thread(() -> {
            requestStop();
            try {
                awaitFinished(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "roentgen-training-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
