package io.roentgen.server.http;

import io.roentgen.server.admission.MemoryBudget;

import org.eclipse.jetty.http.BadMessageException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that may be chunked (no Content-Length): reading past {@code limit} bytes
 * fails with {@link BodyTooLargeException} instead of buffering whatever the client sends, and
 * every byte read beyond what the request reserved up front is taken from the memory budget
 * before the caller can keep it.
 */
public final class LimitedInputStream extends FilterInputStream {
    /** Budget is taken in steps of this size, not per read call. */
    private static final long RESERVE_STEP = 256 << 10;

    private final long limit;
    private final MemoryBudget.Reservation memory;
    private final long bytesPerByteRead;
    private long read;
    private long covered;

    public LimitedInputStream(InputStream in, long limit) {
        this(in, limit, null, 0, 0);
    }

    /**
     * @param memory           the request's reservation, or null for none
     * @param alreadyReserved  body bytes the reservation already covers (a declared Content-Length)
     * @param bytesPerByteRead memory the caller will hold per body byte (2 while an array doubles)
     */
    public LimitedInputStream(InputStream in, long limit, MemoryBudget.Reservation memory, long alreadyReserved,
            long bytesPerByteRead) {
        super(in);
        this.limit = limit;
        this.memory = memory;
        this.covered = alreadyReserved;
        this.bytesPerByteRead = bytesPerByteRead;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // Ask for at most one byte past the limit: enough to notice the overflow.
        long allowed = limit - read + 1;
        int n = readBody(b, off, (int) Math.min(len, Math.max(1, allowed)));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private int readBody(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (BadMessageException e) {
            throw new UnreadableBodyException(e.getCode() == 408 ? 408 : 400, "the request body is malformed: " + e.getReason(), e);
        } catch (IOException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BadMessageException bad) {
                throw new UnreadableBodyException(bad.getCode() == 408 ? 408 : 400,
                        "the request body is malformed: " + bad.getReason(), e);
            }
            throw new UnreadableBodyException(400, "the request body ended early: " + e.getMessage(), e);
        }
    }

    private void count(int n) throws IOException {
        read += n;
        if (read > limit) {
            throw new BodyTooLargeException(limit);
        }
        if (memory != null && read > covered) {
            long step = Math.max(RESERVE_STEP, read - covered);
            memory.grow(step * bytesPerByteRead); // MemoryRefusedException: the reader's I/O fails
            covered += step;
        }
    }
}
