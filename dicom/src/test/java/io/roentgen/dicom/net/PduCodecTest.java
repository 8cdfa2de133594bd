package io.roentgen.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.roentgen.dicom.DicomObject;

/** Every PDU survives writer then reader, field by field; command sets survive the DicomWriter/DicomReader trip. */
class PduCodecTest {
    private static final Pdu.UserInformation USER = new Pdu.UserInformation(16_384, "1.2.3.4", "TEST_1");

    @Test
    void everyPduRoundTrips() throws IOException {
        List<Pdu> pdus = List.of(
                new Pdu.AssociateRq(1, "CALLED", "CALLING", Pdu.APPLICATION_CONTEXT, List.of(
                        DicomScu.context(1, SopClasses.VERIFICATION, "1.2.840.10008.1.2"),
                        DicomScu.context(3, SyntheticStudy.CT_IMAGE_STORAGE, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.5")), USER),
                new Pdu.AssociateAc("CALLED", "CALLING", Pdu.APPLICATION_CONTEXT, List.of(
                        new Pdu.PresentationContextAc(1, 0, "1.2.840.10008.1.2"),
                        new Pdu.PresentationContextAc(3, 4, "")), USER),
                new Pdu.AssociateRj(2, 3, 2),
                new Pdu.ReleaseRq(),
                new Pdu.ReleaseRp(),
                new Pdu.Abort(2, 6));
        for (Pdu pdu : pdus) {
            assertEquals(pdu, read(PduWriter.encode(pdu)));
        }
    }

    @Test
    void pDataKeepsFragmentsAndTheirHeaders() throws IOException {
        Pdu.PDataTf p = new Pdu.PDataTf(List.of(new Pdu.Pdv(1, true, false, new byte[] {1, 2, 3}),
                new Pdu.Pdv(1, true, true, new byte[] {4}), new Pdu.Pdv(3, false, true, new byte[0])));
        Pdu.PDataTf back = (Pdu.PDataTf) read(PduWriter.encode(p));
        assertEquals(3, back.pdvs().size());
        for (int i = 0; i < 3; i++) {
            Pdu.Pdv a = p.pdvs().get(i);
            Pdu.Pdv b = back.pdvs().get(i);
            assertEquals(List.of(a.contextId(), a.command(), a.last()), List.of(b.contextId(), b.command(), b.last()));
            assertArrayEquals(a.data(), b.data());
        }
    }

    @Test
    void aPDataPastTheAnnouncedMaximumIsRefusedBeforeItIsRead() {
        byte[] big = PduWriter.encode(new Pdu.PDataTf(List.of(new Pdu.Pdv(1, false, true, new byte[100]))));
        PduException e = assertThrows(PduException.class, () -> new PduReader(new ByteArrayInputStream(big), 64).read());
        assertEquals(Pdu.Abort.REASON_INVALID_PARAMETER, e.abortReason());
        assertThrows(EOFException.class, () -> new PduReader(new ByteArrayInputStream(new byte[] {1, 0, 0}), 64).read());
    }

    @Test
    void commandSetsCarryTheirGroupLength() throws Exception {
        DicomObject rq = CommandSet.storeRq(7, SyntheticStudy.CT_IMAGE_STORAGE, "1.2.3.4.5");
        byte[] bytes = CommandSet.encode(rq);
        assertEquals(bytes.length - 12, (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8, "(0000,0000) holds the rest's length");
        DicomObject back = CommandSet.decode(bytes);
        assertEquals(CommandSet.C_STORE_RQ, back.getInt(CommandSet.COMMAND_FIELD, -1));
        assertEquals(7, back.getInt(CommandSet.MESSAGE_ID, -1));
        assertEquals("1.2.3.4.5", back.getString(CommandSet.AFFECTED_SOP_INSTANCE_UID));
        DicomObject rsp = CommandSet.response(back, CommandSet.C_STORE_RSP, Status.OUT_OF_RESOURCES);
        DicomObject rspBack = CommandSet.decode(CommandSet.encode(rsp));
        assertEquals(0xA700, rspBack.getInt(CommandSet.STATUS, -1));
        assertEquals(7, rspBack.getInt(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO, -1));
    }

    @Test
    void theSopClassTableIsTheStandardsImageStorageClasses() {
        assertEquals(57, SopClasses.imageStorage().size());
        for (String uid : SopClasses.imageStorage().keySet()) {
            // dcmtk's names (our uids.txt, from dcmtk's dictionary) agree that each is an image storage class
            String dcmtk = io.roentgen.dicom.Uids.nameOf(uid);
            assertEquals(true, dcmtk == null || dcmtk.contains("Image") || dcmtk.contains("Photography")
                    || dcmtk.contains("Tomography") || dcmtk.contains("Microscopy"), uid + " " + dcmtk);
        }
        assertEquals("CT Image Storage", SopClasses.imageStorage().get(SyntheticStudy.CT_IMAGE_STORAGE));
    }

    private static Pdu read(byte[] bytes) throws IOException {
        return new PduReader(new ByteArrayInputStream(bytes), 1 << 20).read();
    }
}
