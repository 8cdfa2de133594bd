package io.roentgen.server.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.testing.ExternalTool;
import io.roentgen.dicom.testing.OrthancProcess;
import io.roentgen.dicom.testing.SrValidation;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.Explainer;
import io.roentgen.models.explain.Explanation;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.models.explain.SourceGrid;
import io.roentgen.server.testing.SmallBundles;
import io.roentgen.server.testing.SyntheticDicom;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explanation as a fractional Segmentation: dciodvfy finds no error (with and without a Frame
 * of Reference in the source), Orthanc stores it in the source's study, and pydicom reads its frame
 * back as the map on the source's grid within 1/255. The source is 41 x 49 and the model takes
 * 32 x 32 (pad, resize), so the frame is the map carried back through that geometry.
 */
class SegmentationOrthancTest {
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.21";

    @TempDir
    static Path dir;
    private static DicomObject source;
    private static Explanation explanation;
    private static float[] expected;
    private static DicomObject seg;
    private static DicomObject spatialSeg;

    @BeforeAll
    static void explain() throws Exception {
        EngineSettings.fromEnvironment().apply();
        Path bundle = SmallBundles.write(dir.resolve("bundle"), 32, 5);
        source = DicomReader.defaults().read(SyntheticDicom.instance(STUDY, 1));
        try (Explainer explainer = Explainer.load(bundle, Device.cpu(), null)) {
            FloatImage image = explainer.prepare(source);
            // An untrained network's Grad-CAM map may well be all zero: the frame is checked with a known
            // map (a blob off-centre) in the real explanation's place.
            Explanation real = explainer.explain(image, CamMethod.GRAD_CAM, null);
            explanation = new Explanation(real.scores(), real.label(), real.method(), real.layer(), real.raw(),
                    blob(real.height(), real.width()), real.height(), real.width());
            expected = SourceGrid.toSource(explanation.map(), explanation.height(), explanation.width(),
                    explainer.preprocessing(), source.getInt(Tag.Rows, 0), source.getInt(Tag.Columns, 0));
            seg = ExplanationDicom.SEG.of(source, image, explanation, explainer);
            DicomObject ct = DicomReader.defaults().read(SyntheticDicom.instance(STUDY, 1));
            ct.putString(Tag.FrameOfReferenceUID, VR.UI, STUDY + ".7");
            ct.putString(Tag.ImagePositionPatient, VR.DS, "-20", "-24", "12.5");
            ct.putString(Tag.ImageOrientationPatient, VR.DS, "1", "0", "0", "0", "1", "0");
            ct.putString(Tag.PixelSpacing, VR.DS, "0.7", "0.7");
            spatialSeg = ExplanationDicom.SEG.of(ct, image, explanation, explainer);
        }
    }

    private static float[] blob(int height, int width) {
        float[] map = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double d2 = Math.pow(y - 0.3 * height, 2) + Math.pow(x - 0.6 * width, 2);
                map[y * width + x] = (float) Math.exp(-d2 / (2 * 16.0));
            }
        }
        return map;
    }

    @Test
    void dciodvfyFindsNoErrorWithOrWithoutAFrameOfReference() throws Exception {
        for (DicomObject s : List.of(seg, spatialSeg)) {
            Path file = dir.resolve(s.getString(Tag.SOPInstanceUID) + ".dcm");
            DicomWriter.explicitLittleEndian().write(s, file);
            List<String> errors = SrValidation.dciodvfy(file);
            assertTrue(errors.isEmpty(), "dciodvfy: " + errors + "\n"
                    + ExternalTool.exec(dir, Duration.ofSeconds(60), "dciodvfy", "-new", file.toString()).stderr());
        }
    }

    @Test
    void pydicomReadsTheMapBackWithin1Over255() throws Exception {
        Path file = dir.resolve("seg.dcm");
        DicomWriter.explicitLittleEndian().write(seg, file);
        ByteBuffer floats = ByteBuffer.allocate(4 * expected.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : expected) {
            floats.putFloat(v);
        }
        Path map = dir.resolve("map.f32");
        Files.write(map, floats.array());
        String script = String.join("\n",
                "import sys, numpy as np, pydicom",
                "ds = pydicom.dcmread(sys.argv[1])",
                "want = np.fromfile(sys.argv[2], dtype='<f4').reshape(ds.Rows, ds.Columns)",
                "frame = ds.pixel_array.astype(np.float64) / float(ds.MaximumFractionalValue)",
                "ref = ds.PerFrameFunctionalGroupsSequence[0].DerivationImageSequence[0].SourceImageSequence[0]",
                "print(ds.SegmentationType, ds.SegmentationFractionalType, ref.ReferencedSOPInstanceUID,",
                "      ds.SegmentSequence[0].SegmentLabel, '%.6f' % np.abs(frame - want).max(), float(want.max()))");
        ExternalTool.Output out = ExternalTool.exec(dir, Duration.ofSeconds(60), "/usr/bin/python3", "-c", script,
                file.toString(), map.toString());
        assertEquals(0, out.exitCode(), out.stderr());
        String[] f = out.stdout().trim().split(" ");
        assertEquals("FRACTIONAL", f[0]);
        assertEquals("PROBABILITY", f[1]);
        assertEquals(source.getString(Tag.SOPInstanceUID), f[2]);
        assertEquals(explanation.label(), f[3]);
        assertTrue(Double.parseDouble(f[4]) <= 1.0 / 255, "max difference " + f[4]);
        assertTrue(Double.parseDouble(f[5]) > 0.5, "the carried-back map lost its peak: " + f[5]);
    }

    @Test
    void orthancStoresItInTheSourceStudy() throws Exception {
        byte[] bytes = DicomWriter.explicitLittleEndian().toByteArray(seg);
        try (OrthancProcess orthanc = OrthancProcess.start(dir, "http://127.0.0.1:9/dicomweb/", "unused")) {
            JsonObject tags = orthanc.storeAndReadTags(bytes);
            assertEquals("SEG", tags.get("Modality").getAsString());
            assertEquals("1.2.840.10008.5.1.4.1.1.66.4", tags.get("SOPClassUID").getAsString());
            assertEquals(source.getString(Tag.StudyInstanceUID), tags.get("StudyInstanceUID").getAsString());
            String referenced = tags.getAsJsonArray("ReferencedSeriesSequence").get(0).getAsJsonObject()
                    .getAsJsonArray("ReferencedInstanceSequence").get(0).getAsJsonObject()
                    .get("ReferencedSOPInstanceUID").getAsString();
            assertEquals(source.getString(Tag.SOPInstanceUID), referenced);
        }
    }
}
