package io.roentgen.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.testing.ExternalTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `roentgen dicom info|dump|pixels` against dcmtk-written files, checked by dcmdump and pydicom. */
class DicomCommandsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void copyFixtures() throws IOException {
        for (String name : new String[] {"core/ct16-explicit.dcm", "core/ct16-bigendian.dcm", "core/mf-rle.dcm",
            "pixel/rgb8_planar1.dcm", "pixel/s16_bs12_hb11.dcm"}) {
            try (InputStream in = DicomCommandsTest.class.getResourceAsStream("/fixtures/" + name)) {
                Files.copy(in, dir.resolve(Path.of(name).getFileName()));
            }
        }
        Files.writeString(dir.resolve("notes.txt"), "not a DICOM file at all, just some text\n");
    }

    private static String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void infoSummarisesWithoutDecoding() {
        CliRunner.Result r = CliRunner.run("dicom", "info", file("ct16-explicit.dcm"));
        assertEquals(0, r.exitCode(), r.err());
        for (String expected : new String[] {"Patient ID       PAT-0001", "Modality         CT",
            "1.2.840.10008.5.1.4.1.1.2 (CT Image Storage)", "Size             32 x 32, 1 frame",
            "1.2.840.10008.1.2.1 (Explicit VR Little Endian)", "12 stored of 16 allocated, signed",
            "center 40\\400, width 400\\1500", "slope 1, intercept -1024"}) {
            assertTrue(r.out().contains(expected), "missing '" + expected + "' in\n" + r.out());
        }
        assertFalse(r.out().contains("ller"), "no patient name: " + r.out());
    }

    @Test
    void infoJsonCoversEveryFileAndReportsTheUnreadableOnes() {
        CliRunner.Result r = CliRunner.run("dicom", "info", "--json", file("ct16-bigendian.dcm"), file("mf-rle.dcm"),
                file("notes.txt"), file("missing.dcm"));
        assertEquals(1, r.exitCode());
        JsonArray array = JsonParser.parseString(r.out()).getAsJsonArray();
        assertEquals(4, array.size());
        JsonObject be = array.get(0).getAsJsonObject();
        assertEquals("1.2.840.10008.1.2.2", be.get("transferSyntaxUid").getAsString());
        assertEquals(32, be.get("rows").getAsInt());
        JsonObject rle = array.get(1).getAsJsonObject();
        assertEquals(3, rle.get("frames").getAsInt());
        assertEquals("RLE Lossless", rle.get("transferSyntaxName").getAsString());
        assertTrue(array.get(2).getAsJsonObject().has("error"));
        assertTrue(array.get(3).getAsJsonObject().get("error").getAsString().endsWith("no such file"));
        assertEquals(2, r.err().strip().lines().count(), "one line per unreadable file: " + r.err());
    }

    @Test
    void dumpListsTheSameTopLevelElementsAsDcmdump() throws Exception {
        CliRunner.Result r = CliRunner.run("dicom", "dump", file("ct16-explicit.dcm"));
        assertEquals(0, r.exitCode(), r.err());
        String dcmdump = ExternalTool.run(dir, "dcmdump", "-q", file("ct16-explicit.dcm"));
        Set<String> ours = topLevelTags(r.out());
        Set<String> theirs = topLevelTags(dcmdump);
        // File meta is shown by both; dcmdump also prints sequence delimiters at the top level.
        theirs.removeIf(t -> t.startsWith("(0002,") || t.startsWith("(fffe,"));
        ours.removeIf(t -> t.startsWith("(0002,") || t.startsWith("(fffe,"));
        assertEquals(theirs, ours);
        assertTrue(r.out().contains("PAT-0001"));
    }

    private static Set<String> topLevelTags(String dump) {
        Set<String> tags = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\((\\p{XDigit}{4}),(\\p{XDigit}{4})\\)").matcher(dump);
        while (m.find()) {
            tags.add(("(" + m.group(1) + "," + m.group(2) + ")").toLowerCase());
        }
        return tags;
    }

    /** The .npy equals pydicom's pixel_array, an independent decoder, value for value. */
    @ParameterizedTest
    @CsvSource({"ct16-explicit.dcm, int16", "ct16-bigendian.dcm, int16", "mf-rle.dcm, uint16",
        "rgb8_planar1.dcm, uint8"})
    void pixelsEqualPydicom(String name, String dtype) throws Exception {
        Path npy = dir.resolve(name + ".npy");
        CliRunner.Result r = CliRunner.run("dicom", "pixels", file(name), "-o", npy.toString());
        assertEquals(0, r.exitCode(), r.err());
        String verdict = python("""
                import sys, numpy, pydicom
                ours = numpy.load(sys.argv[1])
                ref = pydicom.dcmread(sys.argv[2]).pixel_array
                ref = ref.reshape(ours.shape)
                print(ours.dtype, ours.shape, bool(numpy.array_equal(ours, ref)))
                """, npy.toString(), file(name));
        assertTrue(verdict.startsWith(dtype + " "), verdict);
        assertTrue(verdict.strip().endsWith("True"), verdict);
    }

    /**
     * pydicom 2.3 keeps garbage above the high bit, dcmtk masks it: this fixture has such bits, and
     * the .npy must hold the values dcmtk reports (the generator's stored values).
     */
    @Test
    void pixelsMaskBitsOutsideBitsStoredLikeDcmtk() throws Exception {
        try (InputStream in = DicomCommandsTest.class.getResourceAsStream("/fixtures/pixel/s16_bs12_hb11.stored.i32")) {
            Files.copy(in, dir.resolve("s16.i32"));
        }
        Path npy = dir.resolve("s16.npy");
        assertEquals(0, CliRunner.run("dicom", "pixels", file("s16_bs12_hb11.dcm"), "-o", npy.toString()).exitCode());
        String verdict = python("""
                import sys, numpy
                ours = numpy.load(sys.argv[1])
                ref = numpy.fromfile(sys.argv[2], dtype='<i4').reshape(ours.shape)
                print(ours.dtype, ours.shape, bool(numpy.array_equal(ours, ref)))
                """, npy.toString(), file("s16.i32"));
        assertEquals("int16 (1, 24, 32) True", verdict.strip());
    }

    @Test
    void rescaledPixelsAreHounsfieldUnitsLikePydicomsModalityLut() throws Exception {
        Path npy = dir.resolve("hu.npy");
        CliRunner.Result r = CliRunner.run("dicom", "pixels", file("ct16-explicit.dcm"), "-o", npy.toString(), "--rescaled");
        assertEquals(0, r.exitCode(), r.err());
        String verdict = python("""
                import sys, numpy, pydicom
                from pydicom.pixel_data_handlers.util import apply_modality_lut
                ds = pydicom.dcmread(sys.argv[2])
                ours = numpy.load(sys.argv[1])
                ref = apply_modality_lut(ds.pixel_array, ds).astype(numpy.float32)
                print(ours.dtype, ours.shape, bool(numpy.allclose(ours[0], ref)))
                """, npy.toString(), file("ct16-explicit.dcm"));
        assertEquals("float32 (1, 32, 32) True", verdict.strip());
    }

    @Test
    void oneFrameKeepsItsFrameAxis() throws Exception {
        Path npy = dir.resolve("frame2.npy");
        assertEquals(0, CliRunner.run("dicom", "pixels", file("mf-rle.dcm"), "-o", npy.toString(), "--frame", "2").exitCode());
        String verdict = python("""
                import sys, numpy, pydicom
                ours = numpy.load(sys.argv[1])
                print(ours.shape, bool(numpy.array_equal(ours[0], pydicom.dcmread(sys.argv[2]).pixel_array[2])))
                """, npy.toString(), file("mf-rle.dcm"));
        assertEquals("(1, 64, 64) True", verdict.strip());
    }

    @Test
    void aFrameOutOfRangeIsAUsageError() {
        CliRunner.Result r = CliRunner.run("dicom", "pixels", file("mf-rle.dcm"), "-o", dir.resolve("x.npy").toString(),
                "--frame", "3");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("has frames 0 to 2"), r.err());
    }

    @Test
    void aNonDicomFileIsOneLineAndExitCodeOne() {
        CliRunner.Result r = CliRunner.run("dicom", "pixels", file("notes.txt"), "-o", dir.resolve("y.npy").toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("roentgen: " + file("notes.txt") + ": "), r.err());
        assertFalse(Files.exists(dir.resolve("y.npy")));
    }

    private static String python(String script, String... args) throws Exception {
        Path py = Files.createTempFile(dir, "check", ".py");
        Files.writeString(py, script, StandardCharsets.UTF_8);
        String[] cmd = new String[args.length + 2];
        cmd[0] = "/usr/bin/python3";
        cmd[1] = py.toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        return ExternalTool.run(dir, cmd);
    }
}
