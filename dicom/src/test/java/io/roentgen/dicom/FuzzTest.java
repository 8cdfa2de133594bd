package io.roentgen.dicom;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded mutation fuzzing: bit flips, truncations, length field edits, random byte runs,
 * duplicated and deleted chunks of valid files. Nothing but success or a {@link DicomException}
 * may come out of the reader or of the accessors used on what it returns (no RuntimeException,
 * no OutOfMemoryError, no StackOverflowError). The seed is fixed; a failure names the case so it
 * can be replayed.
 */
class FuzzTest {
    private static final long SEED = 0x5EED_D1C0L;
    private static final int CASES = 30_000;
    private static final long BUDGET_NANOS = 15_000_000_000L;

    private static List<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String f : new String[] {"ct16-explicit.dcm", "ct16-implicit.dcm", "ct16-bigendian.dcm", "ct16-deflated.dcm",
                "ct16-undefined-lengths.dcm", "ct16-bare-implicit.dcm", "ct16-bare-bigendian.dcm", "utf8.dcm",
                "mf-rle.dcm", "mf-jpeg-fragments.dcm", "jpeg-img2dcm.dcm"}) {
            seeds.add(Fixtures.bytes(f));
        }
        DicomObject rich = RoundTripTest.richDataSet();
        seeds.add(DicomWriter.builder().definedLengthSequences(true).build().toByteArray(rich));
        seeds.add(DicomWriter.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN).toByteArray(rich));
        seeds.add(DicomWriter.of(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN).toByteArray(rich));
        return seeds;
    }

    @Test
    void mutatedFilesOnlyEverGiveDicomException() throws Exception {
        List<byte[]> seeds = seeds();
        SplittableRandom random = new SplittableRandom(SEED);
        DicomReader whole = DicomReader.builder().maxBytes(8 << 20).maxInflatedBytes(8 << 20).build();
        DicomReader header = whole.toBuilder().stopBeforePixelData(true).build();
        long start = System.nanoTime();
        int cases = 0;
        int parsed = 0;
        for (; cases < CASES && System.nanoTime() - start < BUDGET_NANOS; cases++) {
            byte[] seed = seeds.get(random.nextInt(seeds.size()));
            byte[] data = mutate(seed, random);
            int mode = random.nextInt(3);
            try {
                DicomObject ds = mode == 0 ? whole.read(data)
                        : mode == 1 ? whole.read(new ByteArrayInputStream(data))
                        : header.read(new ByteArrayInputStream(data));
                exercise(ds);
                parsed++;
            } catch (DicomException e) {
                if (e.getCause() instanceof RuntimeException) {
                    fail("case " + cases + ": internal error wrapped in DicomException", e.getCause());
                }
            } catch (Throwable t) {
                fail("case " + cases + " (mode " + mode + ", " + data.length + " bytes): " + t, t);
            }
        }
        assertTrue(cases >= 2_000, "only " + cases + " cases ran");
        assertTrue(parsed > cases / 20, "only " + parsed + " of " + cases + " mutated files parsed");
        System.out.println("fuzz: " + cases + " cases, " + parsed + " parsed");
    }

    /** Uses what the CLI and pixel code use; their DicomExceptions count as fine. */
    private static void exercise(DicomObject ds) throws DicomException {
        new DicomDumper().dump(ds);
        DicomSummary.of(ds).toJson(true);
        walk(ds, 0);
        ImageDescriptor image;
        try {
            image = ds.imageDescriptor();
        } catch (DicomException e) {
            return;
        }
        NativePixelData px = ds.nativePixelData();
        if (px != null) {
            try {
                px.frame(0, image);
            } catch (DicomException ignored) {
                // short pixel data: expected for mutated files
            }
        }
        EncapsulatedPixelData e = ds.encapsulatedPixelData();
        if (e != null) {
            try {
                e.frames(image.frames());
            } catch (DicomException ignored) {
                // frames that do not add up
            }
        }
    }

    private static void walk(DicomObject ds, int depth) {
        for (DicomElement el : ds) {
            el.getStrings();
            el.getDoubles();
            el.getInts();
            el.keyword();
            for (DicomObject item : el.items()) {
                walk(item, depth + 1);
            }
        }
    }

    static byte[] mutate(byte[] seed, SplittableRandom r) {
        byte[] d = seed.clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds && d.length > 0; k++) {
            switch (r.nextInt(7)) {
                case 0: { // bit flips
                    int flips = 1 + r.nextInt(8);
                    for (int i = 0; i < flips; i++) {
                        int p = r.nextInt(d.length);
                        d[p] ^= (byte) (1 << r.nextInt(8));
                    }
                    break;
                }
                case 1: // truncation
                    d = Arrays.copyOf(d, r.nextInt(d.length));
                    break;
                case 2: { // a length field: 16 or 32 bits at an element-ish position
                    int p = r.nextInt(d.length);
                    long[] values = {0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFEL, 0, 1, 3, 0xFFFF, r.nextInt(1 << 20)};
                    long v = values[r.nextInt(values.length)];
                    int width = r.nextBoolean() ? 4 : 2;
                    for (int i = 0; i < width && p + i < d.length; i++) {
                        d[p + i] = (byte) (v >>> (8 * i));
                    }
                    break;
                }
                case 3: { // random byte run
                    int p = r.nextInt(d.length);
                    int n = Math.min(d.length - p, 1 + r.nextInt(32));
                    for (int i = 0; i < n; i++) {
                        d[p + i] = (byte) r.nextInt(256);
                    }
                    break;
                }
                case 4: { // duplicate a chunk
                    int p = r.nextInt(d.length);
                    int n = Math.min(d.length - p, 1 + r.nextInt(64));
                    byte[] out = new byte[d.length + n];
                    System.arraycopy(d, 0, out, 0, p + n);
                    System.arraycopy(d, p, out, p + n, d.length - p);
                    d = out;
                    break;
                }
                case 5: { // delete a chunk
                    int p = r.nextInt(d.length);
                    int n = Math.min(d.length - p, 1 + r.nextInt(64));
                    byte[] out = new byte[d.length - n];
                    System.arraycopy(d, 0, out, 0, p);
                    System.arraycopy(d, p + n, out, p, d.length - p - n);
                    d = out;
                    break;
                }
                default: { // plant item / delimiter tags, which steer the sequence logic
                    int p = r.nextInt(d.length);
                    byte[][] tags = {{(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0}, {(byte) 0xFE, (byte) 0xFF, 0x0D, (byte) 0xE0},
                        {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0}, {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}};
                    byte[] t = tags[r.nextInt(tags.length)];
                    for (int i = 0; i < t.length && p + i < d.length; i++) {
                        d[p + i] = t[i];
                    }
                }
            }
        }
        return d;
    }
}
