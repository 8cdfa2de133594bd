package io.roentgen.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.testing.ExternalTool;

/**
 * Each way an association or a store is refused gets the standard answer, and the SCP keeps
 * serving afterwards (an echoscu succeeds at the end of every test).
 */
class ScpRejectionTest {
    private static final String EXPLICIT = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();
    private static final String CT = SyntheticStudy.CT_IMAGE_STORAGE;

    @TempDir
    Path tmp;

    @Test
    void wrongCalledAeIsRejectedPermanentlyByTheServiceUser() throws Exception {
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp))) {
            ExternalTool.Output out = DcmtkInteropTest.echo(scp.port(), "ECHOSCU", "SOMEONE_ELSE");
            assertNotEquals(0, out.exitCode());
            assertTrue(out.stderr().contains("Called AE Title Not Recognized"), out.stderr());
            AssociationRejectedException e = assertThrows(AssociationRejectedException.class, () -> scu(scp, "ECHOSCU", "WRONG"));
            assertEquals(new Pdu.AssociateRj(1, 1, 7), e.reject());
            assertEquals(Map.of("called-ae-not-recognized", 2L), scp.scp.metrics().rejected());
            stillServes(scp);
        }
    }

    @Test
    void unknownCallingAeIsRejectedWhenAListIsSet() throws Exception {
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp).withAllowedCallingAets(Set.of("MODALITY")))) {
            ExternalTool.Output out = DcmtkInteropTest.echo(scp.port(), "STRANGER", ScpFixture.AE);
            assertNotEquals(0, out.exitCode());
            assertTrue(out.stderr().contains("Calling AE Title Not Recognized"), out.stderr());
            AssociationRejectedException e = assertThrows(AssociationRejectedException.class,
                    () -> scu(scp, "STRANGER", ScpFixture.AE));
            assertEquals(new Pdu.AssociateRj(1, 1, 3), e.reject());
            assertEquals(0, DcmtkInteropTest.echo(scp.port(), "MODALITY", ScpFixture.AE).exitCode());
        }
    }

    @Test
    void tooManyAssociationsGetATransientLocalLimitReject() throws Exception {
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp).withMaxAssociations(1))) {
            try (DicomScu held = scu(scp, "HOLDER", ScpFixture.AE)) {
                ExternalTool.Output out = DcmtkInteropTest.echo(scp.port(), "ECHOSCU", ScpFixture.AE);
                assertNotEquals(0, out.exitCode());
                assertTrue(out.stderr().contains("Local Limit Exceeded"), out.stderr());
                AssociationRejectedException e = assertThrows(AssociationRejectedException.class,
                        () -> scu(scp, "SECOND", ScpFixture.AE));
                assertEquals(new Pdu.AssociateRj(2, 3, 2), e.reject());
                assertEquals(0, held.echo(1), "the association that holds the slot still works");
                held.release();
            }
            stillServes(scp);
            assertEquals(Map.of("local-limit-exceeded", 2L), scp.scp.metrics().rejected());
        }
    }

    @Test
    void unsupportedTransferSyntaxesAndSopClassesAreRejectedPerContext() throws Exception {
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp));
                DicomScu scu = DicomScu.connect("127.0.0.1", scp.port(), "MODALITY", ScpFixture.AE, List.of(
                        DicomScu.context(1, CT, TransferSyntax.MPEG2_MPML.uid(), TransferSyntax.JPEG_XL.uid()),
                        DicomScu.context(3, CT, TransferSyntax.JPEG_LOSSLESS_SV1.uid(), EXPLICIT),
                        DicomScu.context(5, "1.2.840.10008.5.1.4.1.2.2.1"/* Study Root Q/R FIND */, EXPLICIT)), 5_000)) {
            Map<Integer, Pdu.PresentationContextAc> byId = new java.util.HashMap<>();
            scu.accepted().contexts().forEach(pc -> byId.put(pc.id(), pc));
            assertEquals(Pdu.PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED, byId.get(1).result());
            assertEquals(new Pdu.PresentationContextAc(3, 0, EXPLICIT), byId.get(3), "explicit VR little endian first");
            assertEquals(Pdu.PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED, byId.get(5).result());
            scu.release();
        }
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp))) {
            stillServes(scp);
        }
    }

    @Test
    void storeStatusesForAFullDiskAMismatchAndGarbage() throws Exception {
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp));
                DicomScu scu = storeScu(scp)) {
            DicomObject ds = SyntheticStudy.slice(Uids.generate(), Uids.generate(), 0, 8);
            String sop = ds.getString(Tag.SOPInstanceUID);
            assertEquals(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    status(scu.store(1, CT, Uids.generate(), encode(ds))), "instance UID differs from the command's");
            ds.putString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.4");
            assertEquals(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, status(scu.store(1, CT, sop, encode(ds))));
            byte[] garbage = {(byte) 0x08, 0, 0x16, 0, 'U', 'I', (byte) 0xFF, (byte) 0x7F, 1, 2};
            assertEquals(Status.CANNOT_UNDERSTAND, status(scu.store(1, CT, sop, garbage)));
            ds.putString(Tag.SOPClassUID, VR.UI, CT);
            assertEquals(Status.SUCCESS, status(scu.store(1, CT, sop, encode(ds))));
            awaitStored(scp, 1); // the listener hears of it just after the response
            assertEquals(1, scp.stored.size());
            scu.release();
        }
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp.resolve("full")).withMinFreeBytes(Long.MAX_VALUE));
                DicomScu scu = storeScu(scp)) {
            DicomObject ds = SyntheticStudy.slice(Uids.generate(), Uids.generate(), 0, 8);
            DicomObject rsp = scu.store(1, CT, ds.getString(Tag.SOPInstanceUID), encode(ds));
            assertEquals(Status.OUT_OF_RESOURCES, status(rsp));
            assertTrue(rsp.getString(CommandSet.ERROR_COMMENT).contains("watermark"));
            assertEquals(List.of(), scp.stored);
            scu.release();
        }
        assertEquals(List.of(), partFiles(tmp), "nothing half-written is left");
    }

    /**
     * The A-ASSOCIATE-AC names our implementation and maximum length; we fragment to the peer's
     * maximum (a 64-byte P-DATA-TF limit: a longer one would fail this SCU's reader) and accept
     * data sets fragmented as finely.
     */
    @Test
    void maximumLengthsHoldBothWaysAndTheImplementationIsNamed() throws Exception {
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp));
                DicomScu scu = DicomScu.connect("127.0.0.1", scp.port(), "TINY_PDU", ScpFixture.AE,
                        List.of(DicomScu.context(1, SopClasses.VERIFICATION, EXPLICIT), DicomScu.context(3, CT, EXPLICIT)),
                        5_000, 64)) {
            Pdu.UserInformation user = scu.accepted().user();
            assertEquals(Uids.IMPLEMENTATION_CLASS_UID, user.implementationClassUid());
            assertEquals(Uids.IMPLEMENTATION_VERSION_NAME, user.implementationVersionName());
            assertEquals(256 * 1024, user.maxPduLength());
            assertEquals(Status.SUCCESS, scu.echo(1));
            DicomObject ds = SyntheticStudy.slice(Uids.generate(), Uids.generate(), 0, 16);
            byte[] bytes = encode(ds);
            scu.sendCommand(3, CommandSet.storeRq(2, CT, ds.getString(Tag.SOPInstanceUID)));
            for (int off = 0; off < bytes.length; off += 10) {
                int n = Math.min(10, bytes.length - off);
                scu.sendData(3, bytes, off, n, off + n == bytes.length); // 10-byte fragments, one PDU each
            }
            assertEquals(Status.SUCCESS, status(scu.response()));
            scu.release();
        }
    }

    @Test
    void anAbortMidObjectLeavesNothingAndTheServerServesOn() throws Exception {
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp))) {
            DicomObject ds = SyntheticStudy.slice(Uids.generate(), Uids.generate(), 0, 64);
            byte[] bytes = encode(ds);
            try (DicomScu scu = storeScu(scp)) {
                scu.sendCommand(1, CommandSet.storeRq(1, CT, ds.getString(Tag.SOPInstanceUID)));
                scu.sendData(1, bytes, 0, bytes.length / 2, false);
                scu.abort();
            }
            waitForNoConnections(scp);
            assertEquals(List.of(), scp.stored);
            assertEquals(List.of(), partFiles(tmp));
            try (Stream<Path> studies = Files.list(scp.scp.spool().studies())) {
                assertEquals(0, studies.count());
            }
            stillServes(scp);
        }
    }

    static void awaitStored(ScpFixture scp, int n) throws InterruptedException {
        for (int i = 0; i < 200 && scp.stored.size() < n; i++) {
            Thread.sleep(10);
        }
    }

    static void waitForNoConnections(ScpFixture scp) throws InterruptedException {
        for (int i = 0; i < 200 && scp.scp.activeConnections() > 0; i++) {
            Thread.sleep(25);
        }
        assertEquals(0, scp.scp.activeConnections(), "every connection's thread ended");
    }

    private static List<Path> partFiles(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".part")).toList();
        }
    }

    private static int status(DicomObject rsp) {
        return rsp.getInt(CommandSet.STATUS, -1);
    }

    static byte[] encode(DicomObject ds) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.explicitLittleEndian().writeDataSet(ds, out);
        return out.toByteArray();
    }

    static DicomScu storeScu(ScpFixture scp) throws Exception {
        DicomScu scu = DicomScu.connect("127.0.0.1", scp.port(), "MODALITY", ScpFixture.AE,
                List.of(DicomScu.context(1, CT, EXPLICIT)), 5_000);
        assertEquals(EXPLICIT, scu.transferSyntax(1));
        return scu;
    }

    private static DicomScu scu(ScpFixture scp, String calling, String called) throws Exception {
        return DicomScu.connect("127.0.0.1", scp.port(), calling, called,
                List.of(DicomScu.context(1, SopClasses.VERIFICATION, EXPLICIT)), 5_000);
    }

    static void stillServes(ScpFixture scp) throws Exception {
        ExternalTool.Output out = DcmtkInteropTest.echo(scp.port(), "ECHOSCU", ScpFixture.AE);
        assertEquals(0, out.exitCode(), out.stderr());
    }
}
