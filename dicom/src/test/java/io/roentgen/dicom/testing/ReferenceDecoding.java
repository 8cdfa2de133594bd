package io.roentgen.dicom.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the reference toolkits decode a file's pixels, read with the toolkits only (never with the
 * production reader): GDCM ({@code gdcmconv --raw}, then {@code gdcmraw}), dcmtk
 * ({@code dcmconv +te} or {@code dcmdrle}, then {@code dcmdump +W}) and pydicom with its GDCM
 * handler. A missing tool fails the test (CI installs them in .ci/run).
 */
public final class ReferenceDecoding {
    private static final Pattern PHOTOMETRIC = Pattern.compile("\\(0028,0004\\) CS \\[([^\\]]*)\\]");

    private ReferenceDecoding() {}

    /** GDCM's decoding: the file GDCM writes uncompressed, little endian. */
    public record Decoded(byte[] pixels, String photometric) {}

    /** GDCM decodes {@code file} to an Explicit VR Little Endian file; its Pixel Data bytes and photometric. */
    public static Decoded gdcm(Path file, Path work) throws IOException, InterruptedException {
        Path raw = work.resolve(file.getFileName() + ".gdcm.dcm");
        ExternalTool.run(null, "gdcmconv", "--raw", file.toString(), raw.toString());
        return new Decoded(pixelBytes(raw, work), photometric(raw));
    }

    /** dcmtk converts {@code file} with {@code command} (dcmconv +te, dcmdrle, ...) to {@code out}; its pixels. */
    public static Decoded dcmtk(Path file, Path work, String... command) throws IOException, InterruptedException {
        Path out = work.resolve(file.getFileName() + ".dcmtk.dcm");
        String[] full = new String[command.length + 2];
        System.arraycopy(command, 0, full, 0, command.length);
        full[command.length] = file.toString();
        full[command.length + 1] = out.toString();
        ExternalTool.run(null, full);
        Path dir = Files.createTempDirectory(work, "dcmdump");
        ExternalTool.run(null, "dcmdump", "-q", "+W", dir.toString(), out.toString());
        try (var files = Files.list(dir)) {
            Path value = files.filter(p -> p.getFileName().toString().endsWith(".raw")).findFirst()
                    .orElseThrow(() -> new IOException("dcmdump +W wrote no Pixel Data for " + out));
            return new Decoded(Files.readAllBytes(value), photometric(out));
        }
    }

    /** The Pixel Data value of an uncompressed little endian file, as gdcmraw extracts it. */
    public static byte[] pixelBytes(Path file, Path work) throws IOException, InterruptedException {
        Path raw = work.resolve(file.getFileName() + ".raw");
        ExternalTool.run(null, "gdcmraw", "-i", file.toString(), "-o", raw.toString(), "-t", "7fe0,0010");
        return Files.readAllBytes(raw);
    }

    /** Photometric Interpretation as dcmdump prints it. */
    public static String photometric(Path file) throws IOException, InterruptedException {
        String dump = ExternalTool.run(null, "dcmdump", "+P", "0028,0004", file.toString());
        Matcher m = PHOTOMETRIC.matcher(dump);
        if (!m.find()) {
            throw new IOException("dcmdump shows no Photometric Interpretation for " + file + ": " + dump);
        }
        return m.group(1).trim();
    }

    /**
     * {@code pydicom.dcmread(file).pixel_array} with GDCM as pydicom's only pixel handler
     * (python3-gdcm), each file's values in order as longs; one Python process for all files.
     */
    public static Map<Path, long[]> pydicomWithGdcm(List<Path> files, Path work) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", String.join("\n",
                "import sys, pydicom",
                "from pydicom.pixel_data_handlers import gdcm_handler",
                "if not gdcm_handler.is_available():",
                "    sys.exit('pydicom has no GDCM: python3-gdcm is not installed (bash .ci/run installs it)')",
                "pydicom.config.pixel_data_handlers = [gdcm_handler]",
                "for source, target in zip(sys.argv[1::2], sys.argv[2::2]):",
                "    pydicom.dcmread(source).pixel_array.astype('<i8').tofile(target)")));
        Map<Path, Path> outputs = new LinkedHashMap<>();
        for (Path file : files) {
            Path out = work.resolve(file.getFileName() + ".pydicom.i64");
            outputs.put(file, out);
            command.add(file.toString());
            command.add(out.toString());
        }
        ExternalTool.run(null, command);
        Map<Path, long[]> values = new LinkedHashMap<>();
        for (Map.Entry<Path, Path> e : outputs.entrySet()) {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(e.getValue())).order(ByteOrder.LITTLE_ENDIAN);
            long[] v = new long[b.remaining() / 8];
            b.asLongBuffer().get(v);
            values.put(e.getKey(), v);
        }
        return values;
    }
}
