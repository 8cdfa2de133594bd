package io.roentgen.dicom.sr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.testing.ExternalTool;

/**
 * Every SR we write passes three validators, each of which catches what the others miss: dcmtk's
 * dsrdump, dicom3tools' dciodvfy, and PixelMed's DicomSRValidator (which checks TID 1500).
 */
class MeasurementReportTest {
    private static final Duration TOOL = Duration.ofSeconds(60);
    static final Algorithm ALGORITHM = new Algorithm("chest-xray", "3", "9f2c1e0d4b7a8c6e5f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e", "Roentgen");

    @TempDir
    Path tmp;

    @Test
    void comprehensive3dReportPassesDsrdumpDciodvfyAndPixelMed() throws Exception {
        Path file = validate(report(true), "Comprehensive3DSR");
        // C1 only: PixelMed compiles its XSLT templates once per run, twice as fast without C2.
        ExternalTool.Output pixelmed = ExternalTool.exec(tmp, TOOL, "java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djdk.xml.xpathExprGrpLimit=0",
                "-Djdk.xml.xpathExprOpLimit=0", "-Djdk.xml.xpathTotalOpLimit=0", "-cp", "/usr/share/java/pixelmed.jar",
                "com.pixelmed.validate.DicomSRValidator", file.toString());
        String out = pixelmed.stdout() + pixelmed.stderr();
        // PixelMed always exits 0: its verdict is in what it prints.
        assertTrue(out.contains("Found Root Template TID_1500"), out);
        assertTrue(!out.contains("Error") && !out.contains("Exception"), out);
    }

    @Test
    void comprehensiveReportFallbackPassesToo() throws Exception {
        validate(report(false), "ComprehensiveSR");
    }

    @Test
    void theTreeHoldsFindingProbabilityAndReferences() throws Exception {
        DicomObject sr = report(true);
        String dump = ExternalTool.run(tmp, "dsrdump", write(sr).toString());
        assertTrue(dump.contains("Imaging Measurement Report"), dump);
        assertTrue(dump.contains("(ABNORMAL,99RNTGN,\"abnormal\")"), dump);
        assertTrue(dump.contains("\"0.812500\" (1,UCUM,\"no units\")"), dump);
        assertTrue(dump.contains("chest-xray"), dump);
        assertEquals("SR", sr.getString(Tag.Modality));
    }

    /** dsrdump and dciodvfy; the file. */
    private Path validate(DicomObject sr, String sopClassName) throws Exception {
        Path file = write(sr);
        ExternalTool.Output dsr = ExternalTool.exec(tmp, TOOL, "dsrdump", file.toString());
        assertEquals(0, dsr.exitCode(), dsr.stdout() + dsr.stderr());
        assertTrue(!dsr.stderr().contains("E:") && !dsr.stderr().contains("W:"), dsr.stderr());
        ExternalTool.Output dciodvfy = ExternalTool.exec(tmp, TOOL, "dciodvfy", file.toString());
        String iod = dciodvfy.stdout() + dciodvfy.stderr();
        assertTrue(iod.contains(sopClassName), iod);
        assertTrue(!iod.contains("Error"), iod);
        return file;
    }

    private Path write(DicomObject sr) throws Exception {
        Path file = tmp.resolve(Uids.generate() + ".dcm");
        DicomWriter.explicitLittleEndian().write(sr, file);
        DicomReader.defaults().read(file);
        return file;
    }

    static DicomObject report(boolean threeD) {
        String study = Uids.generate();
        String series = Uids.generate();
        DicomObject source = io.roentgen.dicom.net.SyntheticStudy.sliceForTests(study, series, 0, 8);
        List<InstanceFinding> findings = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DicomObject slice = io.roentgen.dicom.net.SyntheticStudy.sliceForTests(study, series, i, 8);
            findings.add(new InstanceFinding(slice.getString(Tag.SOPClassUID), slice.getString(Tag.SOPInstanceUID), series,
                    i == 0 ? new Code("ABNORMAL", Code.LOCAL_SCHEME, "abnormal") : new Code("NORMAL", Code.LOCAL_SCHEME, "normal"), i == 0 ? 0.8125 : 0.25));
        }
        return MeasurementReport.build(source, ALGORITHM, findings, threeD);
    }
}
