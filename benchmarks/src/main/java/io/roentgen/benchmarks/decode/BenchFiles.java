package io.roentgen.benchmarks.decode;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.VR;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the decode benchmark's inputs: {@code count} monochrome 16-bit images of {@code size}
 * squared (a 512x512 CT slice, a 2048x2048 radiograph) in Explicit VR Little Endian, with smooth
 * content and noise so compressed variants (made by dcmtk/GDCM from these) compress realistically.
 *
 * <p>{@code java -cp ... io.roentgen.benchmarks.decode.BenchFiles OUT_DIR SIZE COUNT [ct|cr]}
 */
public final class BenchFiles {
    private BenchFiles() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int size = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        boolean ct = args.length < 4 || args[3].equals("ct");
        Files.createDirectories(out);
        for (int i = 0; i < count; i++) {
            Path file = out.resolve(String.format("%s%d-%04d.dcm", ct ? "ct" : "cr", size, i));
            DicomWriter.explicitLittleEndian().write(image(size, ct, i), file);
        }
    }

    static DicomObject image(int size, boolean ct, long seed) {
        byte[] pixels = pixels(size, ct, seed);
        DicomObject d = new DicomObject()
                .putString(Tag.SOPClassUID, ct ? "1.2.840.10008.5.1.4.1.1.2" : "1.2.840.10008.5.1.4.1.1.1")
                .putString(Tag.SOPInstanceUID, Uids.generate())
                .putString(Tag.StudyInstanceUID, Uids.generate())
                .putString(Tag.SeriesInstanceUID, Uids.generate())
                .putString(Tag.Modality, ct ? "CT" : "CR")
                .putString(Tag.PatientID, "BENCH")
                .putInts(Tag.SamplesPerPixel, 1)
                .putString(Tag.PhotometricInterpretation, "MONOCHROME2")
                .putInts(Tag.Rows, size)
                .putInts(Tag.Columns, size)
                .putInts(Tag.BitsAllocated, 16)
                .putInts(Tag.BitsStored, 12)
                .putInts(Tag.HighBit, 11)
                .putInts(Tag.PixelRepresentation, 0);
        if (ct) {
            d.putString(Tag.RescaleIntercept, "-1024").putString(Tag.RescaleSlope, "1");
        }
        d.putPixelData(VR.OW, pixels);
        return d;
    }

    /**
     * The 16-bit little endian stored values of one image (12 bits used): a body outline with
     * smooth texture for CT, a smooth exposure falloff for CR, both with +-10 noise.
     */
    public static byte[] pixels(int size, boolean ct, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[size * size * 2];
        double c = size / 2.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double r = Math.hypot(x - c, (y - c) * 1.3) / c;
                int value = ct
                        ? (r < 0.8 ? 1064 + (int) (200 * Math.sin(x * 0.05) * Math.cos(y * 0.04)) : 24)
                        : (int) (3000 * Math.exp(-r * r) + 400);
                value += random.nextInt(21) - 10;
                value = Math.max(0, Math.min(4095, value));
                int at = (y * size + x) * 2;
                pixels[at] = (byte) value;
                pixels[at + 1] = (byte) (value >>> 8);
            }
        }
        return pixels;
    }

}
