package io.roentgen.dicom.pixel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.testing.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** .npy files as numpy reads them ({@code /usr/bin/python3 -c 'numpy.load(...)'}). */
class NpyWriterTest {
    private static final String READER = String.join("\n",
            "import sys, json, numpy as np",
            "out = {}",
            "for path in sys.argv[1:]:",
            "    a = np.load(path, allow_pickle=False)",
            "    raw = open(path, 'rb').read()",
            "    major = raw[6]",
            "    hlen = int.from_bytes(raw[8:10] if major == 1 else raw[8:12], 'little')",
            "    offset = (10 if major == 1 else 12) + hlen",
            "    assert len(raw) == offset + a.nbytes, (len(raw), offset, a.nbytes)",
            "    out[path] = {'dtype': a.dtype.str, 'shape': list(a.shape), 'offset': offset,",
            "                 'major': major, 'values': a.reshape(-1).tolist()}",
            "print(json.dumps(out))");

    @TempDir
    Path tmp;

    private static Frame mono(int bitsAllocated, int bitsStored, boolean signed, int rows, int cols, int... v) {
        return new Frame(rows, cols, 1, bitsAllocated, bitsStored, signed, "MONOCHROME2", v);
    }

    @Test
    void numpyReadsEveryDtypeWithTheExpectedShapeAndValues() throws Exception {
        Map<String, List<Frame>> stored = new LinkedHashMap<>();
        stored.put("|u1", List.of(mono(8, 8, false, 2, 3, 0, 1, 2, 127, 128, 255), mono(8, 8, false, 2, 3, 6, 5, 4, 3, 2, 1)));
        stored.put("|i1", List.of(mono(8, 7, true, 1, 3, -64, -1, 63)));
        stored.put("<u2", List.of(mono(16, 12, false, 1, 3, 0, 4095, 1000)));
        stored.put("<i2", List.of(mono(16, 16, true, 1, 4, -32768, -1, 0, 32767)));
        stored.put("<u4", List.of(mono(32, 32, false, 1, 3, 0, -1, Integer.MIN_VALUE)));
        stored.put("<i4", List.of(mono(32, 20, true, 3, 1, -524288, 524287, -7)));
        stored.put("bits1", List.of(mono(1, 1, false, 1, 5, 1, 0, 1, 1, 0), mono(1, 1, false, 1, 5, 0, 0, 0, 0, 1)));
        stored.put("rgb", List.of(new Frame(2, 2, 3, 8, 8, false, "RGB", new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})));

        List<String> args = new ArrayList<>(List.of("/usr/bin/python3", "-c", READER));
        Map<String, Path> files = new LinkedHashMap<>();
        for (Map.Entry<String, List<Frame>> e : stored.entrySet()) {
            Path p = tmp.resolve(e.getKey().replaceAll("[^a-z0-9]", "_") + ".npy");
            NpyWriter.writeStored(p, e.getValue());
            files.put(e.getKey(), p);
            args.add(p.toString());
        }
        float[] hu = {-1024.5f, 0f, 3071.25f, 1e-3f, -0f, 42f};
        Path huFile = tmp.resolve("hu.npy");
        NpyWriter.writeFloat32(huFile, hu, 1, 2, 3);
        args.add(huFile.toString());

        JsonObject result = JsonParser.parseString(ExternalTool.run(null, args)).getAsJsonObject();
        for (Map.Entry<String, List<Frame>> e : stored.entrySet()) {
            JsonObject r = result.getAsJsonObject(files.get(e.getKey()).toString());
            Frame first = e.getValue().get(0);
            assertEquals(NpyWriter.dtype(first), r.get("dtype").getAsString(), e.getKey());
            assertEquals(1, r.get("major").getAsInt());
            assertEquals(0, r.get("offset").getAsInt() % 64, "data aligned to 64 bytes");
            JsonArray shape = r.getAsJsonArray("shape");
            long[] expectedShape = NpyWriter.shape(first, e.getValue().size());
            assertEquals(expectedShape.length, shape.size());
            for (int i = 0; i < expectedShape.length; i++) {
                assertEquals(expectedShape[i], shape.get(i).getAsLong(), e.getKey() + " shape");
            }
            JsonArray values = r.getAsJsonArray("values");
            int k = 0;
            for (Frame f : e.getValue()) {
                for (int i = 0; i < f.samples().length; i++) {
                    assertEquals(f.sampleAsLong(i), values.get(k++).getAsLong(), e.getKey() + " value " + i);
                }
            }
            assertEquals(k, values.size());
        }
        assertEquals("|u1", NpyWriter.dtype(stored.get("bits1").get(0)));
        JsonObject r = result.getAsJsonObject(huFile.toString());
        assertEquals("<f4", r.get("dtype").getAsString());
        assertEquals("[1,2,3]", r.getAsJsonArray("shape").toString());
        for (int i = 0; i < hu.length; i++) {
            assertEquals(hu[i], r.getAsJsonArray("values").get(i).getAsFloat(), 0f);
        }
    }

    @Test
    void streamingHeaderThenFramesEqualsWritingAList() throws Exception {
        Frame a = mono(16, 12, false, 2, 2, 1, 2, 3, 4);
        Frame b = mono(16, 12, false, 2, 2, 5, 6, 7, 8);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        NpyWriter.writeStored(whole, List.of(a, b));
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        NpyWriter.writeHeader(streamed, NpyWriter.dtype(a), NpyWriter.shape(a, 2));
        NpyWriter.writeSamples(streamed, a);
        NpyWriter.writeSamples(streamed, b);
        assertEquals(java.util.Arrays.toString(whole.toByteArray()), java.util.Arrays.toString(streamed.toByteArray()));
        assertEquals(128 + 16, whole.size());
        String header = new String(whole.toByteArray(), 10, 118, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<u2', 'fortran_order': False, 'shape': (2, 2, 2), }", header.trim());
    }

    @Test
    void headersOver65535BytesUseVersionTwo() throws Exception {
        long[] shape = new long[30000];
        java.util.Arrays.fill(shape, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.writeHeader(out, "<f4", shape);
        byte[] b = out.toByteArray();
        assertEquals(2, b[6]);
        assertEquals(0, b[7]);
        int hlen = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(b.length, 12 + hlen);
        assertEquals(0, b.length % 64);
        assertEquals('\n', b[b.length - 1]);
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        NpyWriter.writeHeader(small, "<f4", 7);
        assertEquals(1, small.toByteArray()[6]);
        Path p = tmp.resolve("one.npy");
        Files.write(p, small.toByteArray());
        Files.write(p, new byte[28], java.nio.file.StandardOpenOption.APPEND);
        String shape1 = ExternalTool.run(null, "/usr/bin/python3", "-c",
                "import numpy as np, sys; print(np.load(sys.argv[1]).shape)", p.toString()).trim();
        assertEquals("(7,)", shape1);
    }
}
