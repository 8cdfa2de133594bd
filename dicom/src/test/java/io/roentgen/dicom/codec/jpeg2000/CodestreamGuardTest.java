package io.roentgen.dicom.codec.jpeg2000;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.DecodeDeadline;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The JPEG 2000 guard: the 0xFF runs that made JJ2000 loop forever in
 * {@code PktDecoder.readPktHead} are refused before decoding, packed packet headers are refused,
 * and the stream JJ2000 reads stops at its byte budget and at a passed deadline.
 */
class CodestreamGuardTest {
    private final Jpeg2000Decoder decoder = new Jpeg2000Decoder();

    /** Every 0xFF run of 2 to 16 bytes in the tile data of a lossy file: refused, none hangs. */
    @Test
    void ffRunsInTileDataAreRefusedNotLoopedOn() {
        J2kFixtures fixture = J2kFixtures.all().stream().filter(f -> f.file().equals("gray8_64x48.gdcm")).findFirst().orElseThrow();
        byte[] frame = fixture.frames().get(0);
        int tileData = firstTileData(frame);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int at = tileData; at < frame.length - 16; at += 7) {
                byte[] corrupt = frame.clone();
                Arrays.fill(corrupt, at, at + 2 + at % 15, (byte) 0xFF);
                DicomException e = assertThrows(DicomException.class, () -> decoder.decode(corrupt, fixture.image()),
                        "0xFF run at byte " + at);
                assertTrue(e.getMessage().contains("0xFF 0xFF"), e.getMessage());
            }
        }, "a decode of a 0xFF run did not end (the JJ2000 packet-header loop)");
    }

    @Test
    void packedPacketHeadersAreRefused() throws Exception {
        byte[] frame = J2kFixtures.all().get(0).frames().get(0);
        int sot = firstTileData(frame) - 2;
        while (J2kHeader.u16(frame, sot) != J2kHeader.SOT) {
            sot--;
        }
        // A PPT marker segment (Zppt 0) right after the SOT segment, with Psot grown to match.
        byte[] ppt = {(byte) 0xFF, 0x61, 0x00, 0x03, 0x00};
        byte[] withPpt = new byte[frame.length + ppt.length];
        System.arraycopy(frame, 0, withPpt, 0, sot + 12);
        System.arraycopy(ppt, 0, withPpt, sot + 12, ppt.length);
        System.arraycopy(frame, sot + 12, withPpt, sot + 12 + ppt.length, frame.length - sot - 12);
        long psot = J2kHeader.u32(withPpt, sot + 6);
        if (psot != 0) {
            psot += ppt.length;
            for (int i = 0; i < 4; i++) {
                withPpt[sot + 6 + i] = (byte) (psot >>> (24 - 8 * i));
            }
        }
        DicomException e = assertThrows(DicomException.class,
                () -> CodestreamGuard.checkTileData(withPpt, 0, withPpt.length));
        assertTrue(e.getMessage().contains("PPT"), e.getMessage());
        CodestreamGuard.checkTileData(frame, 0, frame.length); // the original passes
    }

    @Test
    void theStreamStopsAtItsByteBudget() throws IOException {
        byte[] data = new byte[100];
        try (CodestreamGuard.BudgetedStream in = new CodestreamGuard.BudgetedStream(data, 0, data.length, 250)) {
            for (int i = 0; i < 2; i++) {
                in.seek(0);
                assertEquals(100, in.read(new byte[100], 0, 100));
            }
            in.seek(0);
            for (int i = 0; i < 50; i++) {
                in.read();
            }
            IOException e = assertThrows(IOException.class, in::read);
            assertTrue(e.getMessage().contains("more than 250 bytes"), e.getMessage());
        }
    }

    @Test
    void theStreamStopsAtAPassedDeadline() throws IOException {
        byte[] data = new byte[4 * CodestreamGuard.BudgetedStream.CHECK_EVERY];
        try (CodestreamGuard.BudgetedStream in = new CodestreamGuard.BudgetedStream(data, 0, data.length, Long.MAX_VALUE);
             DecodeDeadline.Scope passed = DecodeDeadline.until(System.nanoTime() - 1)) {
            IOException e = assertThrows(IOException.class, () -> {
                for (int i = 0; i < data.length; i++) {
                    in.read();
                }
            });
            assertTrue(e.getMessage().contains("deadline"), e.getMessage());
        }
    }

    /** Where the first tile-part's data starts: after its SOD marker. */
    private static int firstTileData(byte[] frame) {
        for (int i = 0; i + 1 < frame.length; i++) {
            if (J2kHeader.u16(frame, i) == CodestreamGuard.SOD) {
                return i + 2;
            }
        }
        throw new IllegalStateException("no SOD");
    }
}
