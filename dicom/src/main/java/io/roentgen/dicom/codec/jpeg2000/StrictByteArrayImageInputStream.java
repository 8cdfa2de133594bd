package io.roentgen.dicom.codec.jpeg2000;

import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;

import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An in-memory ImageInputStream whose single-byte {@link #read()} throws {@link EOFException} at
 * the end instead of returning -1, and which refuses to seek past the end.
 *
 * <p>Why: jai-imageio wraps the stream for JJ2000 in {@code IISRandomAccessIO}, which passes
 * {@code read()} straight through, but JJ2000's RandomAccessIO contract is to throw EOFException at
 * the end. With a plain stream, a truncated or corrupt packet header reads -1 forever as 0xFF
 * bytes, whose bits are all ones, and JJ2000's Lblock loop ({@code while (readBit() != 0)}) never
 * ends: an infinite loop on a truncated frame, found by the fuzz test. With this stream JJ2000's own
 * end-of-data handling runs. Not a general-purpose ImageInputStream.
 */
class StrictByteArrayImageInputStream extends ImageInputStreamImpl {
    private final byte[] data;
    private final int offset;
    private final int length;

    StrictByteArrayImageInputStream(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        this.data = data;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= length) {
            throw new EOFException("JPEG 2000 codestream ends at byte " + length);
        }
        return data[offset + (int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(off, len, b.length);
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - streamPos);
        System.arraycopy(data, offset + (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void seek(long pos) throws IOException {
        if (pos > length) {
            throw new EOFException("seek to " + pos + " past the end of a " + length + "-byte JPEG 2000 codestream");
        }
        super.seek(pos);
    }
}
