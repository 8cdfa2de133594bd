package io.roentgen.server.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.Explainer;
import io.roentgen.models.explain.SecondaryCapture;
import io.roentgen.dicom.testing.OrthancProcess;
import io.roentgen.server.testing.SmallBundles;
import io.roentgen.server.testing.SyntheticDicom;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PACS takes the explanation back: Orthanc stores the Secondary Capture in the source's study,
 * and reads it back as DERIVED\SECONDARY, RGB, referencing the source instance.
 */
class SecondaryCaptureOrthancTest {
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.9";

    @TempDir
    Path dir;

    @Test
    void orthancStoresTheExplanationInTheSourceStudy() throws Exception {
        EngineSettings.fromEnvironment().apply();
        Path bundle = SmallBundles.write(dir.resolve("bundle"), 32, 5);
        DicomObject source = DicomReader.defaults().read(SyntheticDicom.instance(STUDY, 1));
        byte[] sc;
        try (Explainer explainer = Explainer.load(bundle, Device.cpu(), null)) {
            FloatImage image = explainer.prepare(source);
            sc = DicomWriter.explicitLittleEndian().toByteArray(SecondaryCapture.of(source, image,
                    explainer.explain(image, CamMethod.GRAD_CAM, null), explainer.card()));
        }
        try (OrthancProcess orthanc = OrthancProcess.start(dir, "http://127.0.0.1:9/dicomweb/", "unused")) {
            JsonObject tags = orthanc.storeAndReadTags(sc);
            assertEquals("DERIVED\\SECONDARY", tags.get("ImageType").getAsString());
            assertEquals("RGB", tags.get("PhotometricInterpretation").getAsString());
            assertEquals(source.getString(Tag.StudyInstanceUID), tags.get("StudyInstanceUID").getAsString());
            String referenced = tags.getAsJsonArray("SourceImageSequence").get(0).getAsJsonObject()
                    .get("ReferencedSOPInstanceUID").getAsString();
            assertEquals(source.getString(Tag.SOPInstanceUID), referenced);
            assertTrue(tags.get("DerivationDescription").getAsString().contains("NOT FOR DIAGNOSTIC USE"));
        }
    }
}
