package io.roentgen.dicom;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The buffered output {@link DicomWriter} encodes into: small writes (headers, text values) are
 * gathered in one array, and a value that is a view of a mapped source file (the Pixel Data of a
 * large file) goes to a file channel by a kernel copy from that file (sendfile), or in one write
 * straight from the mapping when the file is no longer the one mapped. Through a
 * {@code BufferedOutputStream} over a channel stream the same bytes were copied three times (the
 * mapping into a fresh array, the array into the JDK's temporary direct buffer, that buffer into
 * the kernel); here once, by the kernel. Without a channel a view is copied through the buffer in
 * chunks, never into an array of its whole size.
 */
final class OutputSink extends OutputStream {
    private static final int SIZE = 1 << 16;

    private final OutputStream stream;
    private final FileChannel channel;
    private final byte[] buf = new byte[SIZE];
    private int count;

    /** Onto a stream (not closed by {@link #close()}: the caller owns it). */
    OutputSink(OutputStream stream) {
        this.stream = stream;
        this.channel = null;
    }

    /** Onto a file channel, written from its current position (not closed either). */
    OutputSink(FileChannel channel) {
        this.stream = null;
        this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buf.length) {
            drain();
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - count) {
            drain();
            if (len >= buf.length) {
                emit(b, off, len); // as BufferedOutputStream: a large array goes through unbuffered
                return;
            }
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    /**
     * Writes a value that is a view of a mapped file: onto a file channel by a kernel copy from
     * the file when it is still the one mapped ({@link FileBytes.Mapped#transferTo}), else from
     * the mapping. Either way a file truncated since it was read fails with a message that says so.
     */
    void write(FileBytes.Mapped value) throws IOException {
        drain();
        if (channel != null && value.transferTo(channel)) {
            return;
        }
        value.checkReadable();
        write(value.bytes(), value.file().toString());
    }

    /**
     * Writes the remaining bytes of a view of a mapped file (its position is left as it was).
     * A file truncated under the mapping fails as an {@link IOException}: write(2) returns EFAULT
     * for the missing pages, and a copy through the buffer turns the JVM's {@link InternalError}
     * into one.
     */
    private void write(ByteBuffer mapped, String source) throws IOException {
        ByteBuffer src = mapped.duplicate();
        drain();
        try {
            if (channel != null) {
                while (src.hasRemaining()) {
                    channel.write(src);
                }
                return;
            }
            while (src.hasRemaining()) {
                int n = Math.min(buf.length, src.remaining());
                src.get(buf, 0, n);
                count = n;
                drain();
            }
        } catch (InternalError e) {
            count = 0;
            throw new IOException(source + " changed while it was read", e);
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        if (stream != null) {
            stream.flush();
        }
    }

    private void drain() throws IOException {
        if (count > 0) {
            emit(buf, 0, count);
            count = 0;
        }
    }

    private void emit(byte[] b, int off, int len) throws IOException {
        if (stream != null) {
            stream.write(b, off, len);
            return;
        }
        ByteBuffer src = ByteBuffer.wrap(b, off, len);
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }
}
