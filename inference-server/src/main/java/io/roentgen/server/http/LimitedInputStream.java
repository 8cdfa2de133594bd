package io.roentgen.server.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that may be chunked (no Content-Length): reading past {@code limit} bytes
 * fails with {@link BodyTooLargeException} instead of buffering whatever the client sends.
 */
public final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long read;

    public LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // Ask for at most one byte past the limit: enough to notice the overflow.
        long allowed = limit - read + 1;
        int n = super.read(b, off, (int) Math.min(len, Math.max(1, allowed)));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws BodyTooLargeException {
        read += n;
        if (read > limit) {
            throw new BodyTooLargeException(limit);
        }
    }

}
