package io.roentgen.server.admission;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide budget of request memory: bodies as they arrive, inflated data sets, decoded
 * frames at their declared size and input tensors. Each request holds a {@link Reservation} that
 * grows before anything is allocated and is released when the response is sent. A growth past
 * the budget is refused at once ({@link MemoryRefusedException}, which the HTTP edge answers with
 * 503 and {@code Retry-After}): a burst of large requests waits its turn on the client's side
 * instead of ending in an {@link OutOfMemoryError} here.
 */
public final class MemoryBudget {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("the memory budget must be positive");
        }
        this.capacity = capacityBytes;
    }

    /** The default: half of the maximum heap, the rest left to the models, metrics and Jetty. */
    public static long defaultBytes() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes reserved by requests in flight now. */
    public long used() {
        return used.get();
    }

    /** A reservation that holds nothing yet. */
    public Reservation open() {
        return new Reservation();
    }

    private boolean tryTake(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > capacity) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /** One request's share; thread-safe, released once however often {@link #close()} is called. */
    public final class Reservation implements AutoCloseable {
        private long held;
        private boolean closed;

        private Reservation() {}

        /**
         * Takes {@code bytes} more before they are allocated.
         *
         * @throws MemoryRefusedException when the server has no room for them now, or when this
         *                                 request would need more than the whole budget
         */
        public void grow(long bytes) throws MemoryRefusedException {
            if (!tryGrow(bytes)) {
                throw refusal(bytes);
            }
        }

        /** Why {@code bytes} more cannot be had: they never could (more than the budget), or not now. */
        public synchronized MemoryRefusedException refusal(long bytes) {
            if (held + bytes > capacity) {
                return new MemoryRefusedException("this request needs more memory (" + (held + bytes)
                        + " bytes) than the server's whole request memory budget (" + capacity + " bytes, --memory-budget-mb)", true);
            }
            return new MemoryRefusedException("the server has no memory for this request now (it needs " + bytes
                    + " more bytes; " + used.get() + " of " + capacity + " in use); retry shortly", false);
        }

        /** Like {@link #grow} for callers that cannot throw a checked exception. */
        public synchronized boolean tryGrow(long bytes) {
            if (bytes <= 0) {
                return true;
            }
            if (closed || !tryTake(bytes)) {
                return false;
            }
            held += bytes;
            return true;
        }

        public synchronized long held() {
            return held;
        }

        @Override
        public synchronized void close() {
            closed = true;
            used.addAndGet(-held);
            held = 0;
        }
    }

}
