package io.roentgen.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A socket's input with one deadline for everything read until the next {@link #deadline}: a
 * peer that sends a byte now and then cannot hold a PDU (and a thread) open longer than that.
 * This is how ARTIM and the idle timer are enforced.
 */
final class DeadlineInputStream extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private long deadlineNanos;

    DeadlineInputStream(Socket socket, InputStream in) {
        this.socket = socket;
        this.in = in;
    }

    /** Everything read from now on must arrive within {@code millis}. */
    void deadline(long millis) {
        deadlineNanos = System.nanoTime() + millis * 1_000_000L;
    }

    private void arm() throws IOException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new SocketTimeoutException("timer expired");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int read() throws IOException {
        arm();
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return in.read(b, off, len);
    }
}
