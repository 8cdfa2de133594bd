package io.roentgen.dicom.pixel;

import io.roentgen.dicom.ImageDescriptor;

import io.roentgen.dicom.testing.ExternalTool;
import io.roentgen.dicom.testing.MinimumCount;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One fixture of {@code fixtures/pixel} (made by make-pixel-fixtures.sh), read through real
 * toolkits only: the header through {@code dcmdump}, the pixel bytes through {@code dcmdump +W}
 * and {@code gdcmraw}, never through the production DICOM reader.
 */
final class PixelFixture {
    private static final Pattern ELEMENT = Pattern.compile(
            "^\\s*\\(([0-9a-fA-F]{4}),([0-9a-fA-F]{4})\\) (\\w\\w) (.*?)\\s+#\\s*(\\d+),");

    final String name;
    final Path dcm;
    /** The last value of each (group,element) in the top-level data set, raw text after the VR. */
    final Map<String, String> values = new HashMap<>();
    final Map<String, String> vrs = new HashMap<>();
    final Map<String, Integer> lengths = new HashMap<>();

    private PixelFixture(Path dcm) throws IOException, InterruptedException {
        this.dcm = dcm;
        String file = dcm.getFileName().toString();
        this.name = file.substring(0, file.length() - 4);
        String dump = ExternalTool.run(null, "dcmdump", "-q", dcm.toString());
        for (String line : dump.split("\n")) {
            if (line.startsWith("  ")) {
                continue; // inside a sequence
            }
            Matcher m = ELEMENT.matcher(line);
            if (m.find()) {
                String tag = (m.group(1) + "," + m.group(2)).toLowerCase();
                vrs.put(tag, m.group(3));
                values.put(tag, m.group(4).trim());
                lengths.put(tag, Integer.parseInt(m.group(5)));
            }
        }
    }

    static Path dir() {
        try {
            return Path.of(PixelFixture.class.getResource("/fixtures/pixel/u8_3x3.dcm").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static PixelFixture load(String name) throws IOException, InterruptedException {
        return new PixelFixture(dir().resolve(name + ".dcm"));
    }

    /** Any DICOM file, e.g. one a toolkit converted a fixture to. */
    static PixelFixture of(Path dcm) throws IOException, InterruptedException {
        return new PixelFixture(dcm);
    }

    static List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            return MinimumCount.atLeast(25, s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dcm"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList(),
                    "pixel fixtures (make-pixel-fixtures.sh)");
        }
    }

    int integer(String tag, int absent) {
        String v = values.get(tag);
        if (v == null) {
            return absent;
        }
        return Integer.parseInt(v.replace("[", "").replace("]", "").split("\\\\")[0].trim());
    }

    String string(String tag) {
        String v = values.get(tag);
        return v == null ? null : v.replace("[", "").replace("]", "").trim();
    }

    double[] decimals(String tag) {
        String v = string(tag);
        if (v == null) {
            return new double[0];
        }
        String[] parts = v.split("\\\\");
        double[] d = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            d[i] = Double.parseDouble(parts[i].trim());
        }
        return d;
    }

    ImageDescriptor descriptor() {
        return new ImageDescriptor(integer("0028,0010", 0), integer("0028,0011", 0), integer("0028,0002", 1),
                integer("0028,0100", 0), integer("0028,0101", 0), integer("0028,0102", 0),
                integer("0028,0103", 0) == 1, integer("0028,0006", 0), string("0028,0004"),
                integer("0028,0008", 1));
    }

    boolean bigEndian() {
        return "=BigEndianExplicit".equals(values.get("0002,0010"));
    }

    String pixelVr() {
        return vrs.get("7fe0,0010");
    }

    /** The byte order to decode the file's own Pixel Data bytes with. */
    ByteOrder fileOrder() {
        return bigEndian() && "OW".equals(pixelVr()) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** Pixel Data as {@code dcmdump +W} writes it (little endian words). */
    byte[] pixelBytesDcmdump(Path tmp) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory(tmp, "dcmdump");
        ExternalTool.run(null, "dcmdump", "-q", "+W", out.toString(), dcm.toString());
        try (Stream<Path> s = Files.list(out)) {
            // dcmdump numbers binary values NAME.dcm.N.raw in file order: Pixel Data is the last element
            Path last = s.filter(p -> p.getFileName().toString().matches(".*\\.dcm\\.\\d+\\.raw"))
                    .max(java.util.Comparator.comparingInt(p -> {
                        String[] parts = p.getFileName().toString().split("\\.");
                        return Integer.parseInt(parts[parts.length - 2]);
                    })).orElseThrow(() -> new IOException("dcmdump +W wrote no Pixel Data for " + dcm));
            return Files.readAllBytes(last);
        }
    }

    /** Pixel Data as {@code gdcmraw -t 7fe0,0010} writes it. */
    byte[] pixelBytesGdcm(Path tmp) throws IOException, InterruptedException {
        Path out = tmp.resolve(name + ".gdcm.raw");
        ExternalTool.run(null, "gdcmraw", "-i", dcm.toString(), "-o", out.toString(), "-t", "7fe0,0010");
        return Files.readAllBytes(out);
    }

    /**
     * The Pixel Data value exactly as it lies in the file (big endian words for Explicit VR Big
     * Endian OW): the last element, of the length dcmdump reports.
     */
    byte[] pixelBytesInFile() throws IOException {
        byte[] file = Files.readAllBytes(dcm);
        int length = lengths.get("7fe0,0010");
        byte[] v = new byte[length];
        System.arraycopy(file, file.length - length, v, 0, length);
        return v;
    }

    /** The stored values the generator wrote, or null when it kept none. */
    int[] expectedStored() throws IOException {
        Path p = dir().resolve(name + ".stored.i32");
        if (!Files.exists(p)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        int[] v = new int[b.remaining() / 4];
        b.asIntBuffer().get(v);
        return v;
    }

    /** PixelAttributes from dcmdump's view of the header (what the glue will fill from DicomObject). */
    PixelAttributes attributes(Path tmp) throws Exception {
        PixelAttributes.Builder b = PixelAttributes.builder();
        double[] slope = decimals("0028,1053");
        double[] intercept = decimals("0028,1052");
        if (slope.length > 0 || intercept.length > 0) {
            b.rescale(slope.length > 0 ? slope[0] : 1, intercept.length > 0 ? intercept[0] : 0);
        }
        b.windows(decimals("0028,1050"), decimals("0028,1051"));
        b.voiLutFunction(string("0028,1056"));
        if (values.containsKey("0028,1101")) {
            boolean signed = integer("0028,0103", 0) == 1;
            PaletteLut[] luts = new PaletteLut[3];
            String[] names = {"Red", "Green", "Blue"};
            for (int i = 0; i < 3; i++) {
                String descTag = String.format("0028,%04x", 0x1101 + i);
                String[] d = string(descTag).split("\\\\");
                int[] desc = {Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2])};
                byte[] data = lutBytes(tmp, 0x1201 + i);
                luts[i] = PaletteLut.fromAttributes(names[i], desc, data, ByteOrder.LITTLE_ENDIAN, signed);
            }
            b.palette(luts[0], luts[1], luts[2]);
        }
        return b.build();
    }

    private byte[] lutBytes(Path tmp, int element) throws IOException, InterruptedException {
        Path out = tmp.resolve(name + "." + Integer.toHexString(element) + ".raw");
        ExternalTool.run(null, "gdcmraw", "-i", dcm.toString(), "-o", out.toString(), "-t",
                "0028," + Integer.toHexString(element));
        return Files.readAllBytes(out);
    }

    /** A PNM image (P2/P3 ASCII or P5/P6 binary) as written by dcm2pnm. */
    record Pnm(int width, int height, int channels, int maxValue, int[] samples) {}

    static Pnm readPnm(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int[] pos = {0};
        String magic = token(b, pos);
        int w = Integer.parseInt(token(b, pos));
        int h = Integer.parseInt(token(b, pos));
        int max = Integer.parseInt(token(b, pos));
        int channels = magic.equals("P3") || magic.equals("P6") ? 3 : 1;
        int n = w * h * channels;
        int[] s = new int[n];
        if (magic.equals("P2") || magic.equals("P3")) {
            for (int i = 0; i < n; i++) {
                s[i] = Integer.parseInt(token(b, pos));
            }
        } else {
            int p = pos[0] + 1;
            for (int i = 0; i < n; i++) {
                s[i] = max > 255 ? ((b[p + 2 * i] & 0xFF) << 8) | (b[p + 2 * i + 1] & 0xFF) : b[p + i] & 0xFF;
            }
        }
        return new Pnm(w, h, channels, max, s);
    }

    private static String token(byte[] b, int[] pos) {
        int p = pos[0];
        while (p < b.length && (Character.isWhitespace(b[p]) || b[p] == '#')) {
            if (b[p] == '#') {
                while (p < b.length && b[p] != '\n') {
                    p++;
                }
            }
            p++;
        }
        int start = p;
        while (p < b.length && !Character.isWhitespace(b[p])) {
            p++;
        }
        pos[0] = p;
        return new String(b, start, p - start, StandardCharsets.US_ASCII);
    }

    /** Runs dcm2pnm with the options on one frame (0-based) and reads the PNM it writes. */
    Pnm dcm2pnm(Path tmp, int frame, String... options) throws IOException, InterruptedException {
        Path out = tmp.resolve(name + "." + frame + "." + System.nanoTime() + ".pnm");
        List<String> cmd = new ArrayList<>(List.of("dcm2pnm", "-q", "+F", Integer.toString(frame + 1)));
        cmd.addAll(List.of(options));
        cmd.add(dcm.toString());
        cmd.add(out.toString());
        ExternalTool.run(null, cmd);
        return readPnm(out);
    }
}
