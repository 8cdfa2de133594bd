package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.testing.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images that may carry burned-in text (US, SC, Burned In Annotation YES) are refused with a
 * reason unless REGIONS.json has a mask for the device; masked regions become zeros in native
 * pixel data, Burned In Annotation becomes NO and Clean Pixel Data is recorded; compressed pixel
 * data (RLE here, made by dcmtk's dcmcrle) is refused rather than passed through unmasked.
 */
class BurnedInTest {
    static final ProjectKey KEY = new ProjectKey("burned-in-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path work;

    private DicomObject ultrasound() throws Exception {
        Path f = new SyntheticStudies("1.2.826.0.1.3680043.10.543.31").writeUltrasound(work.resolve("in"));
        return DicomReader.defaults().read(f);
    }

    private BurnedInMasks masks(String model) throws Exception {
        Path json = work.resolve("regions-" + model.replace(' ', '_') + ".json");
        Files.writeString(json, "{\"masks\": [{\"manufacturer\": \"acme\", \"model\": \"" + model + "\", \"rows\": 16, \"columns\": 16,"
                + " \"regions\": [{\"x\": 0, \"y\": 0, \"width\": 16, \"height\": 3}, {\"x\": 10, \"y\": 12, \"width\": 40, \"height\": 40}]}]}");
        return BurnedInMasks.read(json);
    }

    @Test
    void refusedWithoutAMask() throws Exception {
        DicomObject ds = ultrasound();
        DeidOutcome o = new Deidentifier(DeidConfig.basic(KEY)).deidentify(ds);
        assertTrue(o.isRefused());
        assertTrue(o.refusal().contains("modality US") && o.refusal().contains("--burned-in mask:"), o.refusal());
        DicomObject yes = DicomReader.defaults().read(work.resolve("in/us.dcm"));
        yes.putString(Tag.Modality, "CT");
        yes.putString(Tag.BurnedInAnnotation, "YES");
        assertTrue(new Deidentifier(DeidConfig.basic(KEY)).deidentify(yes).refusal().contains("Burned In Annotation is YES"));
    }

    @Test
    void refusedWhenNoMaskFitsTheDevice() throws Exception {
        DeidOutcome o = new Deidentifier(new DeidConfig(KEY, Set.of(), masks("OTHER MODEL"), false)).deidentify(ultrasound());
        assertTrue(o.isRefused() && o.refusal().contains("no mask for this device"), o.refusal());
    }

    @Test
    void maskedRegionsBecomeZerosAndTheCleaningIsRecorded() throws Exception {
        DicomObject ds = ultrasound();
        short[] before = pixels(ds);
        DeidOutcome o = new Deidentifier(new DeidConfig(KEY, Set.of(), masks("SONO 5"), false)).deidentify(ds);
        assertFalse(o.isRefused(), o.refusal());
        assertTrue(o.pixelsCleaned());
        short[] after = pixels(ds);
        int changedOutside = 0;
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                boolean masked = y < 3 || (x >= 10 && y >= 12);
                if (masked) {
                    assertEquals(0, after[y * 16 + x], "pixel " + x + "," + y);
                } else if (after[y * 16 + x] != before[y * 16 + x]) {
                    changedOutside++;
                }
            }
        }
        assertEquals(0, changedOutside);
        assertEquals("NO", ds.getString(Tag.BurnedInAnnotation));
        Set<String> codes = new HashSet<>();
        ds.getSequence(0x00120064).forEach(i -> codes.add(i.getString(Tag.CodeValue)));
        assertEquals(Set.of("113100", "113101"), codes);
    }

    @Test
    void compressedPixelDataIsRefusedWithTheReason() throws Exception {
        ultrasound();
        Path rle = work.resolve("us-rle.dcm");
        ExternalTool.run(null, "dcmcrle", work.resolve("in/us.dcm").toString(), rle.toString());
        DicomObject ds = DicomReader.defaults().read(rle);
        assertTrue(ds.hasEncapsulatedPixelData());
        DeidOutcome o = new Deidentifier(new DeidConfig(KEY, Set.of(), masks("SONO 5"), false)).deidentify(ds);
        assertTrue(o.isRefused() && o.refusal().contains("compressed pixel data") && o.refusal().contains("decompress"), o.refusal());
        assertEquals(SyntheticStudies.PATIENT_NAME, ds.getString(Tag.PatientName), "a refused data set is left as it was");
    }

    private static short[] pixels(DicomObject ds) {
        short[] s = new short[256];
        ByteBuffer.wrap(ds.getBytes(Tag.PixelData)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    @Test
    void listsAreReportedPerFile() throws Exception {
        ultrasound();
        DeidBatch.Report r = new DeidBatch(new Deidentifier(DeidConfig.basic(KEY)), 1).run(List.of(work.resolve("in/us.dcm")), work.resolve("out"), p -> { });
        assertEquals(1, r.refused().size());
        assertEquals(work.resolve("in/us.dcm"), r.refused().get(0).file());
        assertEquals(0, r.written());
    }
}
