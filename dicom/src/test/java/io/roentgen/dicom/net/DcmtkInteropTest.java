package io.roentgen.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.pixel.DicomPixels;
import io.roentgen.dicom.testing.ExternalTool;

/** The SCP against dcmtk's echoscu and storescu: what a real modality or PACS sends. */
class DcmtkInteropTest {
    private static final Duration TOOL = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void echoscuGetsSuccess() throws Exception {
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp.resolve("spool")))) {
            ExternalTool.Output out = echo(scp.port(), "ECHOSCU", ScpFixture.AE);
            assertEquals(0, out.exitCode(), out.stderr());
            assertTrue(out.stderr().contains("Received Echo Response (Success)"), out.stderr());
        }
    }

    @Test
    void storescuStudiesArriveInEverySyntaxWeAccept() throws Exception {
        SyntheticStudy.Study explicit = SyntheticStudy.write(tmp.resolve("explicit"), 3, 64);
        SyntheticStudy.Study implicit = SyntheticStudy.write(tmp.resolve("implicit"), 2, 64);
        SyntheticStudy.Study rle = compress(SyntheticStudy.write(tmp.resolve("rle"), 2, 64), "dcmcrle");
        SyntheticStudy.Study jpeg = compress(SyntheticStudy.write(tmp.resolve("jpeg"), 2, 64), "dcmcjpeg", "+e1");
        try (ScpFixture scp = new ScpFixture(ScpFixture.config(tmp.resolve("spool")))) {
            store(scp, explicit, "+sd");
            store(scp, implicit, "-xi", "+sd");
            store(scp, rle, "-R", "-xr", "+sd");
            store(scp, jpeg, "-R", "-xs", "+sd");
            assertEquals(9, scp.stored.size());
            assertEquals(Set.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid(),
                    TransferSyntax.RLE_LOSSLESS.uid(), TransferSyntax.JPEG_LOSSLESS_SV1.uid()), syntaxes(scp.stored));
            for (StoredInstance instance : scp.stored) {
                DicomObject ds = DicomReader.defaults().read(instance.file());
                assertEquals(instance.transferSyntaxUid(), ds.transferSyntax().uid());
                assertEquals(64, DicomPixels.frame(ds, 0).columns(), "pixels decode after the trip");
                ExternalTool.run(tmp, "dcmftest", instance.file().toString());
            }
            assertEquals(9, scp.scp.metrics().instancesReceived());
        }
    }

    /** Compresses each file in place with a dcmtk tool, so storescu proposes (and sends) its syntax. */
    private SyntheticStudy.Study compress(SyntheticStudy.Study study, String... tool) throws Exception {
        for (Path file : study.files()) {
            Path out = file.resolveSibling(file.getFileName() + ".tmp");
            List<String> cmd = new ArrayList<>(List.of(tool));
            cmd.addAll(List.of(file.toString(), out.toString()));
            ExternalTool.run(tmp, cmd);
            Files.move(out, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return study;
    }

    private static Set<String> syntaxes(List<StoredInstance> stored) {
        Set<String> uids = new HashSet<>();
        stored.forEach(s -> uids.add(s.transferSyntaxUid()));
        return uids;
    }

    private void store(ScpFixture scp, SyntheticStudy.Study study, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", "MODALITY", "-aec", ScpFixture.AE));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("127.0.0.1", Integer.toString(scp.port()), study.files().get(0).getParent().toString()));
        ExternalTool.Output out = ExternalTool.exec(tmp, TOOL, cmd.toArray(new String[0]));
        assertEquals(0, out.exitCode(), out.stderr());
        assertNotEquals(true, out.stderr().contains("E:"), out.stderr());
        long arrived = scp.stored.stream().filter(s -> s.studyInstanceUid().equals(study.studyUid())).count();
        assertEquals(study.files().size(), arrived);
        assertTrue(Files.isDirectory(scp.scp.spool().studies().resolve("MODALITY").resolve(study.studyUid())));
    }

    static ExternalTool.Output echo(int port, String callingAe, String calledAe) throws Exception {
        return ExternalTool.exec(null, TOOL, "echoscu", "-v", "-aet", callingAe, "-aec", calledAe, "127.0.0.1",
                Integer.toString(port));
    }
}
