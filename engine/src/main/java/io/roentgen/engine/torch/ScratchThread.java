package io.roentgen.engine.torch;

import io.roentgen.engine.RoentgenException;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs native work on a thread of its own that has ended, or is ending, when {@link #call}
 * returns. libgomp, the OpenMP runtime of DJL's CPU libtorch, gives each thread that starts a
 * parallel region a pool of helper threads that lives as long as that thread; once the process
 * holds more OpenMP threads than CPUs, libgomp's waits stop spinning and go to sleep at every
 * barrier, and every forward pass of every pool slows down ({@link OpenMpThreads}). A thread that
 * only loads a model (the server's main thread, an HTTP thread reloading one) and then lives on
 * would keep such a pool for nothing; here its pool goes when the work is done.
 */
public final class ScratchThread {
    private ScratchThread() {}

    /** Work that may fail with a {@link RoentgenException}. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws RoentgenException;
    }

    /**
     * Runs {@code work} on a new thread and waits for it (uninterruptibly: native work cannot be
     * abandoned half done; the caller's interrupt is kept), then returns its result or rethrows
     * what it threw.
     */
    public static <T> T call(String name, Work<T> work) throws RoentgenException {
        FutureTask<T> task = new FutureTask<>(work::run);
        Thread thread = new Thread(task, name);
        thread.start();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RoentgenException r) {
                throw r;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            throw new IllegalStateException("the task is done; get() cannot wait", e);
        }
    }
}
