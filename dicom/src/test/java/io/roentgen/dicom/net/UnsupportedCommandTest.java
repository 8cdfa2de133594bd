package io.roentgen.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.testing.ExternalTool;

/**
 * DIMSE commands this SCP does not perform, on a context it accepted, get status 0211 in their
 * response (none for C-CANCEL) and the association goes on; a peer that goes quiet once associated
 * is cut by the DIMSE timer, counted apart from ARTIM.
 */
class UnsupportedCommandTest {
    private static final String EXPLICIT = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();
    private static final String CT = SyntheticStudy.CT_IMAGE_STORAGE;
    private static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    private static final int C_FIND_RQ = 0x0020;
    private static final int C_MOVE_RQ = 0x0021;
    private static final int N_GET_RQ = 0x0110;

    @TempDir
    Path tmp;

    @Test
    void unsupportedCommandsGet0211AndTheAssociationGoesOn() throws Exception {
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp.resolve("spool")));
                DicomScu scu = DicomScu.connect("127.0.0.1", scp.port(), "FINDSCU", ScpFixture.AE,
                        List.of(DicomScu.context(1, SopClasses.VERIFICATION, EXPLICIT), DicomScu.context(3, CT, EXPLICIT)),
                        5_000)) {
            // C-FIND with its identifier, on the Verification context: the identifier is read and dropped.
            scu.sendCommand(1, request(C_FIND_RQ, 7, CommandSet.AFFECTED_SOP_CLASS_UID, STUDY_ROOT_FIND, true));
            byte[] identifier = ScpRejectionTest.encode(identifier());
            scu.sendData(1, identifier, 0, identifier.length, true);
            assertResponse(scu.response(), 0x8020, 7, STUDY_ROOT_FIND);

            // C-MOVE on the storage context, its identifier in two fragments.
            scu.sendCommand(3, request(C_MOVE_RQ, 8, CommandSet.AFFECTED_SOP_CLASS_UID, CT, true));
            scu.sendData(3, identifier, 0, 10, false);
            scu.sendData(3, identifier, 10, identifier.length - 10, true);
            assertResponse(scu.response(), 0x8021, 8, CT);

            // N-GET names its class in Requested SOP Class UID; the response carries it as Affected.
            scu.sendCommand(1, request(N_GET_RQ, 9, CommandSet.REQUESTED_SOP_CLASS_UID, SopClasses.VERIFICATION, false));
            assertResponse(scu.response(), 0x8110, 9, SopClasses.VERIFICATION);

            // C-CANCEL has no response: the next answer is the echo's.
            scu.sendCommand(1, request(CommandSet.C_CANCEL_RQ, 10, CommandSet.AFFECTED_SOP_CLASS_UID, STUDY_ROOT_FIND, false));
            // An unknown request field is answered with bit 15 set, as every defined one is.
            scu.sendCommand(1, request(0x0055, 11, CommandSet.AFFECTED_SOP_CLASS_UID, SopClasses.VERIFICATION, false));
            assertResponse(scu.response(), 0x8055, 11, SopClasses.VERIFICATION);
            assertEquals(Status.SUCCESS, scu.echo(1));

            // And the association still stores.
            DicomObject slice = SyntheticStudy.sliceForTests(Uids.generate(), Uids.generate(), 0, 16);
            DicomObject rsp = scu.store(3, CT, slice.getString(Tag.SOPInstanceUID), ScpRejectionTest.encode(slice));
            assertEquals(Status.SUCCESS, rsp.getInt(CommandSet.STATUS, -1));
            scu.release();

            assertEquals(5, scp.scp.metrics().unsupportedCommands());
            assertEquals(0, scp.scp.metrics().aborts());
            storescuStillStores(scp);
        }
    }

    @Test
    void findscuAndMovescuAgainstTheNodeThenStorescuWorks() throws Exception {
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp.resolve("spool")))) {
            // dcmtk proposes only Query/Retrieve classes, which we do not accept: no usable context,
            // a clean release, never an abort.
            for (String tool : List.of("findscu", "movescu")) {
                ExternalTool.Output out = ExternalTool.exec(tmp, Duration.ofSeconds(30), tool, "-S", "-aet", "FINDSCU",
                        "-aec", ScpFixture.AE, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3",
                        "127.0.0.1", Integer.toString(scp.port()));
                assertTrue(out.stderr().contains("No Acceptable Presentation Contexts")
                        || out.stderr().contains("no acceptable presentation contexts"), tool + ": " + out.stderr());
            }
            assertEquals(0, scp.scp.metrics().aborts());
            storescuStillStores(scp);
        }
    }

    @Test
    void aPeerThatGoesQuietIsAbortedByTheDimseTimer() throws Exception {
        ScpConfig config = ScpFixture.config(tmp.resolve("spool")).withTimers(500, 1_000);
        try (ScpFixture scp = new ScpFixture(config)) {
            try (DicomScu scu = DicomScu.connect("127.0.0.1", scp.port(), "QUIET", ScpFixture.AE,
                    List.of(DicomScu.context(1, SopClasses.VERIFICATION, EXPLICIT)), 5_000)) {
                assertEquals(Status.SUCCESS, scu.echo(1));
                // Nothing more: after the DIMSE timer the SCP aborts.
                Pdu.Abort abort = assertInstanceOf(Pdu.Abort.class, scu.readPdu());
                assertEquals(Pdu.Abort.SOURCE_PROVIDER, abort.source());
            }
            ScpRejectionTest.waitForNoConnections(scp);
            assertEquals(1, scp.scp.metrics().dimseTimeouts());
            // A connection that never associates is ARTIM's: aborted, but not a DIMSE timeout.
            try (Socket idle = new Socket("127.0.0.1", scp.port())) {
                idle.setSoTimeout(5_000);
                assertEquals(Pdu.ABORT, idle.getInputStream().read());
            }
            ScpRejectionTest.waitForNoConnections(scp);
            assertEquals(1, scp.scp.metrics().dimseTimeouts());
            assertEquals(2, scp.scp.metrics().aborts());
            ScpRejectionTest.stillServes(scp);
        }
    }

    private static DicomObject request(int field, int messageId, int sopClassTag, String sopClass, boolean dataSet) {
        DicomObject rq = new DicomObject();
        rq.putString(sopClassTag, VR.UI, sopClass);
        rq.putInts(CommandSet.COMMAND_FIELD, VR.US, field);
        rq.putInts(CommandSet.MESSAGE_ID, VR.US, messageId);
        rq.putInts(CommandSet.COMMAND_DATA_SET_TYPE, VR.US, dataSet ? 0x0000 : CommandSet.NO_DATA_SET);
        return rq;
    }

    private static DicomObject identifier() {
        DicomObject id = new DicomObject();
        id.putString(0x00080052, VR.CS, "STUDY");
        id.putString(Tag.StudyInstanceUID, VR.UI, "1.2.3");
        return id;
    }

    private static void assertResponse(DicomObject rsp, int field, int messageId, String sopClass) {
        assertEquals(field, rsp.getInt(CommandSet.COMMAND_FIELD, -1));
        assertEquals(messageId, rsp.getInt(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO, -1));
        assertEquals(Status.UNRECOGNIZED_OPERATION, rsp.getInt(CommandSet.STATUS, -1));
        assertEquals(sopClass, rsp.getString(CommandSet.AFFECTED_SOP_CLASS_UID));
        assertEquals(CommandSet.NO_DATA_SET, rsp.getInt(CommandSet.COMMAND_DATA_SET_TYPE, -1));
    }

    private void storescuStillStores(ScpFixture scp) throws Exception {
        SyntheticStudy.Study study = SyntheticStudy.write(tmp.resolve("study-" + System.nanoTime()), 2, 32);
        int before = scp.stored.size();
        ExternalTool.Output out = ExternalTool.exec(tmp, Duration.ofSeconds(30), "storescu", "-aet", "MODALITY", "-aec",
                ScpFixture.AE, "+sd", "127.0.0.1", Integer.toString(scp.port()), study.files().get(0).getParent().toString());
        assertEquals(0, out.exitCode(), out.stderr());
        ScpRejectionTest.awaitStored(scp, before + 2);
        assertEquals(before + 2, scp.stored.size());
    }
}
