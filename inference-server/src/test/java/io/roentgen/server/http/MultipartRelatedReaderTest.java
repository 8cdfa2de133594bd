package io.roentgen.server.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartRelatedReaderTest {
    static final MultipartRelatedReader.Limits ROOMY = new MultipartRelatedReader.Limits(1000, 1 << 20, 4096);

    /** Hands out the bytes in random small pieces, as a network would. */
    static InputStream trickle(byte[] data, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
            }
        };
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] body(String boundary, List<byte[]> parts, String preamble, String epilogue) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii(preamble));
        for (byte[] part : parts) {
            out.writeBytes(ascii((preamble.isEmpty() && out.size() == 0 ? "" : "\r\n") + "--" + boundary
                    + "\r\nContent-Type: application/dicom\r\nX-Index: " + parts.indexOf(part) + "\r\n\r\n"));
            out.writeBytes(part);
        }
        out.writeBytes(ascii("\r\n--" + boundary + "--" + epilogue));
        return out.toByteArray();
    }

    static List<byte[]> readAll(InputStream in, String boundary, MultipartRelatedReader.Limits limits)
            throws IOException, MalformedMultipartException {
        MultipartRelatedReader reader = new MultipartRelatedReader(in, boundary, limits);
        List<byte[]> parts = new ArrayList<>();
        for (MultipartRelatedReader.Part p = reader.next(); p != null; p = reader.next()) {
            parts.add(p.body());
        }
        assertNull(reader.next(), "stays finished");
        return parts;
    }

    /** Parts full of near-delimiters: CR, LF, dashes, boundary prefixes. */
    static byte[] nastyPart(SplittableRandom random, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = random.nextInt(12);
        for (int i = 0; i < pieces; i++) {
            switch (random.nextInt(5)) {
                case 0 -> out.writeBytes(ascii("\r\n--" + boundary.substring(0, random.nextInt(boundary.length()))));
                case 1 -> out.writeBytes(ascii("\r\n-"));
                case 2 -> out.writeBytes(ascii("\r\r\n--\r"));
                case 3 -> out.writeBytes(ascii("x--" + boundary)); // no CRLF before: content, not a delimiter
                default -> {
                    byte[] noise = new byte[random.nextInt(300)];
                    for (int j = 0; j < noise.length; j++) {
                        noise[j] = (byte) random.nextInt(256);
                    }
                    out.writeBytes(noise);
                }
            }
        }
        return out.toByteArray();
    }

    @Test
    void readsBackWhatWasWrittenWhateverTheChunkingAndContent() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 300; round++) {
            String boundary = round % 3 == 0 ? "aaaaab" : "b" + Long.toHexString(random.nextLong());
            List<byte[]> parts = new ArrayList<>();
            for (int i = 0, n = random.nextInt(5); i < n; i++) {
                parts.add(nastyPart(random, boundary));
            }
            String preamble = random.nextBoolean() ? "" : "preamble to ignore\r\n";
            byte[] data = body(boundary, parts, preamble, random.nextBoolean() ? "" : "\r\nepilogue");
            if (parts.isEmpty()) {
                continue;
            }
            List<byte[]> read = readAll(trickle(data, round), boundary, ROOMY);
            assertEquals(parts.size(), read.size(), "round " + round);
            for (int i = 0; i < parts.size(); i++) {
                assertArrayEquals(parts.get(i), read.get(i), "round " + round + " part " + i);
            }
        }
    }

    @Test
    void headersPaddingAndBareLineFeeds() throws Exception {
        byte[] data = ascii("--xyz  \t\nContent-Type: application/dicom\nContent-ID: <1>\n\nhello\r\n--xyz\r\n\r\n\r\n--xyz--");
        MultipartRelatedReader reader = new MultipartRelatedReader(new ByteArrayInputStream(data), "xyz", ROOMY);
        MultipartRelatedReader.Part first = reader.next();
        assertEquals("application/dicom", first.contentType().essence());
        assertEquals("<1>", first.headers().get("content-id"));
        assertArrayEquals(ascii("hello"), first.body());
        assertArrayEquals(new byte[0], reader.next().body());
        assertNull(reader.next());
    }

    @Test
    void badBodiesAreMalformedWithAReason() {
        assertMalformed("--b\r\nContent-Type: x\r\n\r\nno closing boundary", "b", "ends before");
        assertMalformed("no boundary anywhere", "b", "ends before");
        assertMalformed("--b-\r\n", "b", "single '-'");
        assertMalformed("--bX\r\n\r\n--b--", "b", "line break");
        assertMalformed("--b\r\nno colon here\r\n\r\nx\r\n--b--", "b", "no name");
        assertMalformed("--b\r\nA: " + "x".repeat(5000) + "\r\n\r\nx\r\n--b--", "b", "longer than");
        assertMalformed("x".repeat(5000) + "--b\r\n\r\nx\r\n--b--", "b", "no boundary within");
        assertThrows(MalformedMultipartException.class, () -> new MultipartRelatedReader(InputStream.nullInputStream(), "", ROOMY));
        assertThrows(MalformedMultipartException.class,
                () -> new MultipartRelatedReader(InputStream.nullInputStream(), "x".repeat(201), ROOMY));
        assertThrows(MalformedMultipartException.class,
                () -> MultipartRelatedReader.boundaryOf(MediaType.parse("multipart/related; type=\"application/dicom\"")));
    }

    static void assertMalformed(String body, String boundary, String reason) {
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                () -> readAll(new ByteArrayInputStream(ascii(body)), boundary, ROOMY));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void limitsOnPartSizeAndPartCount() throws Exception {
        byte[] big = body("b", List.of(new byte[2000]), "", "");
        assertThrows(MultipartRelatedReader.PartTooLargeException.class,
                () -> readAll(new ByteArrayInputStream(big), "b", new MultipartRelatedReader.Limits(10, 1999, 1024)));
        assertEquals(1, readAll(new ByteArrayInputStream(big), "b", new MultipartRelatedReader.Limits(10, 2000, 1024)).size());
        byte[] many = body("b", List.of(new byte[1], new byte[2], new byte[3]), "", "");
        MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                () -> readAll(new ByteArrayInputStream(many), "b", new MultipartRelatedReader.Limits(2, 100, 1024)));
        assertTrue(e.getMessage().contains("more than 2 parts"));
        LimitedInputStream limited = new LimitedInputStream(new ByteArrayInputStream(big), 1000);
        assertThrows(BodyTooLargeException.class, () -> readAll(limited, "b", ROOMY));
    }

    @Test
    void fuzzedBodiesFailOnlyWithTypedErrors() throws Exception {
        SplittableRandom random = new SplittableRandom(99);
        byte[] seed = body("fuzz", List.of(nastyPart(random, "fuzz"), nastyPart(random, "fuzz"), new byte[100]), "pre", "post");
        int parsed = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = Arrays.copyOf(seed, seed.length);
            int edits = 1 + random.nextInt(6);
            for (int e = 0; e < edits; e++) {
                switch (random.nextInt(3)) {
                    case 0 -> {
                        if (b.length > 0) {
                            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                        }
                    }
                    case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                    default -> {
                        int at = random.nextInt(b.length + 1);
                        byte[] inserted = ascii(random.nextBoolean() ? "\r\n--fuzz" : "--");
                        byte[] grown = new byte[b.length + inserted.length];
                        System.arraycopy(b, 0, grown, 0, at);
                        System.arraycopy(inserted, 0, grown, at, inserted.length);
                        System.arraycopy(b, at, grown, at + inserted.length, b.length - at);
                        b = grown;
                    }
                }
            }
            try {
                readAll(trickle(b, i), "fuzz", new MultipartRelatedReader.Limits(5, 4096, 256));
                parsed++;
            } catch (MalformedMultipartException | MultipartRelatedReader.PartTooLargeException expected) {
                // the only two ways a body may fail
            }
        }
        assertTrue(parsed > 0, "some mutations are still valid bodies");
    }

    @Test
    void mediaTypeParameters() {
        MediaType t = MediaType.parse("Multipart/Related; type=\"application/dicom\"; boundary=\"a;b=c\\\"d\"; start=x");
        assertEquals("multipart/related", t.essence());
        assertEquals("application/dicom", t.parameter("type"));
        assertEquals("a;b=c\"d", t.parameter("boundary"));
        assertEquals("x", t.parameter("start"));
        assertNull(MediaType.parse("nonsense"));
        assertNull(MediaType.parse(null));
    }
}
