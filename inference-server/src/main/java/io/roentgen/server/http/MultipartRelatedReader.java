package io.roentgen.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Streams the parts of a {@code multipart/related} body (RFC 2387 / RFC 2046) one at a time,
 * the way STOW-RS and DICOM classification requests send instances. The body is read in fixed
 * chunks and searched for the delimiter {@code CRLF--boundary} with a KMP automaton, so memory
 * is bounded by the largest part allowed, never by the body.
 *
 * <p>Errors: {@link MalformedMultipartException} for a body that breaks the grammar or a limit
 * on parts or headers, {@link PartTooLargeException} for a part over its size limit, and the
 * stream's own {@link IOException}s (including {@link BodyTooLargeException}).
 */
public final class MultipartRelatedReader {

    /** Bounds on what one body may contain. */
    public record Limits(int maxParts, int maxPartBytes, int maxHeaderBytes) {
        public static Limits of(long maxBodyBytes) {
            return new Limits(100_000, (int) Math.min(Integer.MAX_VALUE - 16, maxBodyBytes), 16 * 1024);
        }
    }

    /** One part: header names lower-cased. */
    public record Part(Map<String, String> headers, byte[] body) {
        public MediaType contentType() {
            return MediaType.parse(headers.get("content-type"));
        }
    }

    /** Thrown when one part is larger than {@link Limits#maxPartBytes()}. */
    public static final class PartTooLargeException extends IOException {
        public PartTooLargeException(int limit) {
            super("a multipart part is larger than the limit of " + limit + " bytes");
        }
    }

    private static final int CHUNK = 64 * 1024;
    static final int MAX_BOUNDARY = 200;

    private final InputStream in;
    private final byte[] delimiter;
    private final int[] fallback;
    private final Limits limits;
    private final byte[] buffer = new byte[CHUNK];
    private int position;
    private int end;
    private int parts;
    private boolean finished;
    private boolean started;

    public MultipartRelatedReader(InputStream in, String boundary, Limits limits) throws MalformedMultipartException {
        validateBoundary(boundary);
        this.in = in;
        this.limits = limits;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.fallback = failureFunction(delimiter);
    }

    /** The boundary of a {@code multipart/*} Content-Type, checked against RFC 2046's grammar. */
    public static String boundaryOf(MediaType type) throws MalformedMultipartException {
        String boundary = type == null ? null : type.parameter("boundary");
        validateBoundary(boundary);
        return boundary;
    }

    /** The next part, or null after the closing delimiter. */
    public Part next() throws IOException, MalformedMultipartException {
        if (finished) {
            return null;
        }
        if (!started) {
            started = true;
            // The first delimiter may start the body, without the CRLF before it: begin as if
            // that CRLF had just been matched. The preamble is discarded, but bounded.
            scanToDelimiter(null, 2, limits.maxHeaderBytes());
        }
        if (readDelimiterTail()) {
            finished = true;
            return null;
        }
        if (++parts > limits.maxParts()) {
            throw new MalformedMultipartException("more than " + limits.maxParts() + " parts");
        }
        Map<String, String> headers = readHeaders();
        GrowableBytes body = new GrowableBytes(limits.maxPartBytes());
        scanToDelimiter(body, 0, Long.MAX_VALUE);
        return new Part(headers, body.toArray());
    }

    /**
     * Consumes bytes up to and including the next delimiter; content goes to {@code sink} (or is
     * dropped when null, at most {@code maxDropped} bytes).
     */
    private void scanToDelimiter(GrowableBytes sink, int matched, long maxDropped)
            throws IOException, MalformedMultipartException {
        int m = matched;
        long dropped = 0;
        byte first = delimiter[0];
        while (true) {
            if (position == end && !fill()) {
                throw new MalformedMultipartException("the body ends before the closing boundary");
            }
            if (m == 0) {
                // Fast path: copy everything up to the next possible delimiter start in bulk.
                int start = position;
                while (position < end && buffer[position] != first) {
                    position++;
                }
                int n = position - start;
                if (n > 0) {
                    if (sink != null) {
                        sink.write(buffer, start, n);
                    } else if ((dropped += n) > maxDropped) {
                        throw new MalformedMultipartException("no boundary within the first " + maxDropped + " bytes");
                    }
                }
                if (position == end) {
                    continue;
                }
            }
            byte b = buffer[position++];
            int before = m;
            while (m > 0 && delimiter[m] != b) {
                m = fallback[m - 1];
            }
            if (delimiter[m] == b) {
                m++;
            }
            // Bytes that left the partial match are content after all.
            int released = before + 1 - m;
            if (released > 0) {
                if (sink != null) {
                    int fromDelimiter = Math.min(released, before);
                    sink.write(delimiter, 0, fromDelimiter);
                    if (released > before) {
                        sink.write(b);
                    }
                } else if ((dropped += released) > maxDropped) {
                    throw new MalformedMultipartException("no boundary within the first " + maxDropped + " bytes");
                }
            }
            if (m == delimiter.length) {
                return;
            }
        }
    }

    /** After a delimiter: "--" closes the body; otherwise optional padding and a line break. */
    private boolean readDelimiterTail() throws IOException, MalformedMultipartException {
        int c = readByte();
        if (c == '-') {
            if (readByte() != '-') {
                throw new MalformedMultipartException("a boundary is followed by a single '-'");
            }
            return true;
        }
        int padding = 0;
        while (c == ' ' || c == '\t') {
            if (++padding > 256) {
                throw new MalformedMultipartException("too much padding after a boundary");
            }
            c = readByte();
        }
        if (c == '\r') {
            c = readByte();
        }
        if (c != '\n') {
            throw new MalformedMultipartException("a boundary is not followed by a line break");
        }
        return false;
    }

    private Map<String, String> readHeaders() throws IOException, MalformedMultipartException {
        Map<String, String> headers = new LinkedHashMap<>();
        int budget = limits.maxHeaderBytes();
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = readByte();
            if (--budget < 0) {
                throw new MalformedMultipartException("part headers are longer than " + limits.maxHeaderBytes() + " bytes");
            }
            if (c == '\r') {
                continue;
            }
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            if (line.length() == 0) {
                return headers;
            }
            int colon = line.indexOf(":");
            if (colon <= 0) {
                throw new MalformedMultipartException("a part header line has no name: '" + printable(line) + "'");
            }
            headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            line.setLength(0);
        }
    }

    private int readByte() throws IOException, MalformedMultipartException {
        if (position == end && !fill()) {
            throw new MalformedMultipartException("the body ends inside a boundary or part header");
        }
        return buffer[position++] & 0xFF;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        end = n;
        return true;
    }

    /**
     * RFC 2046 allows 70 characters, but Orthanc sends two UUIDs (73): accept up to
     * {@value #MAX_BOUNDARY} printable characters, which still keeps the delimiter search tiny.
     */
    private static void validateBoundary(String boundary) throws MalformedMultipartException {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new MalformedMultipartException("multipart Content-Type needs a boundary of 1 to " + MAX_BOUNDARY + " characters");
        }
        for (int i = 0; i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new MalformedMultipartException("the multipart boundary holds a character outside printable ASCII");
            }
        }
    }

    private static int[] failureFunction(byte[] pattern) {
        int[] f = new int[pattern.length];
        int k = 0;
        for (int i = 1; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = f[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            f[i] = k;
        }
        return f;
    }

    private static String printable(CharSequence s) {
        String t = s.length() > 60 ? s.subSequence(0, 60) + "..." : s.toString();
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** A byte buffer that doubles as needed but never past its limit. */
    private static final class GrowableBytes {
        private final int limit;
        private byte[] data = new byte[8192];
        private int size;

        GrowableBytes(int limit) {
            this.limit = limit;
        }

        void write(int b) throws PartTooLargeException {
            ensure(1);
            data[size++] = (byte) b;
        }

        void write(byte[] source, int offset, int length) throws PartTooLargeException {
            ensure(length);
            System.arraycopy(source, offset, data, size, length);
            size += length;
        }

        private void ensure(int more) throws PartTooLargeException {
            if ((long) size + more > limit) {
                throw new PartTooLargeException(limit);
            }
            if (size + more > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(limit, Math.max((long) data.length * 2, size + more)));
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
