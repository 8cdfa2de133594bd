package io.roentgen.dicom.codec.jpeg2000;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReader;
import com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.DecodeDeadline;
import io.roentgen.dicom.codec.PixelDecoder;
import io.roentgen.dicom.ImageDescriptor;

import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferShort;
import java.awt.image.DataBufferUShort;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.imageio.stream.ImageInputStream;

import jj2000.j2k.util.FacilityManager;
import jj2000.j2k.util.MsgLogger;

/**
 * JPEG 2000 Image Compression (Lossless Only) 1.2.840.10008.1.2.4.90 and JPEG 2000 Image
 * Compression 1.2.840.10008.1.2.4.91, decoded by JJ2000 through jai-imageio-jpeg2000's
 * {@link J2KImageReader}. The frame is a raw codestream or, sometimes, a JP2 file; only the
 * codestream is handed to the library, and its Raster is read (never a colour-converted
 * BufferedImage) so the component values are kept: unsigned and signed precision up to 16 bits
 * exactly, the reversible (RCT) or irreversible (ICT) component transform undone as the
 * codestream's COD says. YBR_RCT and YBR_ICT frames therefore come out as RGB.
 *
 * <p>Before decoding, the SIZ marker is checked against the image: size, component count,
 * sub-sampling, and precision no larger than Bits Allocated (precision may differ from Bits
 * Stored: GDCM 3.0.21 writes precision 16 for Bits Stored 12). That bounds what the library
 * allocates by what the image justifies. Everything the library throws, Errors included, becomes
 * a {@link DicomException}. One reader per call: thread-safe.
 *
 * <p><b>Signedness.</b> A codestream whose components are signed where Pixel Representation says
 * unsigned, or the reverse, is decoded as its SIZ marker says (the decoder has no choice: the
 * level shift depends on it), and its samples are then read as Pixel Representation says, as
 * GDCM and pydicom read them: the low Bits Stored bits, sign-extended only when Pixel
 * Representation is 1. The mismatch is logged once per decoder, without anything that names the
 * file or the patient.
 *
 * <p><b>JP2 files.</b> A JP2 file's channel definition box (cdef) puts the components in the order
 * OpenJPEG, and so GDCM, returns them; see {@link Jp2File}.
 */
public final class Jpeg2000Decoder implements PixelDecoder {

    /** JPEG 2000 Image Compression (Lossless Only). */
    public static final String JPEG2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    /** JPEG 2000 Image Compression (lossy or lossless). */
    public static final String JPEG2000 = "1.2.840.10008.1.2.4.91";

    private static final J2KImageReaderSpi SPI = new J2KImageReaderSpi();
    private static final System.Logger LOG = System.getLogger(Jpeg2000Decoder.class.getName());

    /** Whether this decoder has logged a signedness mismatch: once is enough to say files have it. */
    private final AtomicBoolean signednessLogged = new AtomicBoolean();

    /** JJ2000's warnings about corrupt streams are not ours to print; the exception says enough. */
    private static final MsgLogger SILENT = new MsgLogger() {
        @Override
        public void printmsg(int severity, String message) {}

        @Override
        public void println(String message, int firstLineIndent, int indent) {}

        @Override
        public void flush() {}
    };

    @Override
    public Set<String> transferSyntaxUids() {
        return Set.of(JPEG2000_LOSSLESS, JPEG2000);
    }

    @Override
    public DecodedFrame decode(byte[] encodedFrame, ImageDescriptor image) throws DicomException {
        checkImage(image);
        J2kHeader header = J2kHeader.parse(encodedFrame);
        checkHeader(header, image);
        logSignednessMismatch(header, image);
        Raster raster = readRaster(encodedFrame, header);
        if (raster.getWidth() != image.columns() || raster.getHeight() != image.rows()
                || raster.getNumBands() != image.samplesPerPixel()) {
            throw new DicomException("JPEG 2000 decoded to " + raster.getWidth() + "x" + raster.getHeight() + "x"
                    + raster.getNumBands() + ", the image is " + image.columns() + "x" + image.rows() + "x"
                    + image.samplesPerPixel());
        }
        byte[] out = toNative(raster, image, header);
        return new DecodedFrame(out, decodedPhotometric(image));
    }

    static String decodedPhotometric(ImageDescriptor image) {
        String pi = image.photometric() == null ? "" : image.photometric().trim();
        if (image.samplesPerPixel() == 3 && (pi.equals("YBR_RCT") || pi.equals("YBR_ICT"))) {
            return "RGB";
        }
        return image.photometric();
    }

    private static void checkImage(ImageDescriptor image) throws DicomException {
        if (image == null) {
            throw new DicomException("JPEG 2000: no image description");
        }
        if (image.bitsAllocated() != 8 && image.bitsAllocated() != 16) {
            throw new DicomException("JPEG 2000: unsupported Bits Allocated " + image.bitsAllocated() + " (8 or 16)");
        }
        if (image.samplesPerPixel() != 1 && image.samplesPerPixel() != 3) {
            throw new DicomException("JPEG 2000: unsupported Samples per Pixel " + image.samplesPerPixel());
        }
        if (image.rows() <= 0 || image.columns() <= 0
                || image.nativeFrameBytes() > Integer.MAX_VALUE - 16) {
            throw new DicomException("JPEG 2000: unsupported image size " + image.rows() + "x" + image.columns());
        }
    }

    private static void checkHeader(J2kHeader h, ImageDescriptor image) throws DicomException {
        if (h.width() != image.columns() || h.height() != image.rows()) {
            throw new DicomException("JPEG 2000 codestream is " + h.width() + "x" + h.height() + ", the image "
                    + image.columns() + "x" + image.rows());
        }
        if (h.components() != image.samplesPerPixel()) {
            throw new DicomException("JPEG 2000 codestream has " + h.components() + " components, the image "
                    + image.samplesPerPixel() + " samples per pixel");
        }
        for (int c = 0; c < h.components(); c++) {
            if (h.subsamplingX()[c] != 1 || h.subsamplingY()[c] != 1) {
                throw new DicomException("JPEG 2000 component " + c + " is sub-sampled " + h.subsamplingX()[c] + "x"
                        + h.subsamplingY()[c] + " (unsupported)");
            }
            if (h.precision()[c] > image.bitsAllocated()) {
                throw new DicomException("JPEG 2000 component " + c + " precision " + h.precision()[c]
                        + " exceeds Bits Allocated " + image.bitsAllocated());
            }
        }
    }

    private void logSignednessMismatch(J2kHeader h, ImageDescriptor image) {
        for (int c = 0; c < h.components(); c++) {
            if (h.signed()[c] != image.signed()) {
                if (signednessLogged.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING, "JPEG 2000 component {0} is {1}, Pixel Representation "
                            + "(0028,0103) says {2}: decoded as the codestream says, values read as Pixel "
                            + "Representation says (as GDCM and pydicom do); further files like this are not logged",
                            c, h.signed()[c] ? "signed" : "unsigned", image.signed() ? "signed" : "unsigned");
                }
                return;
            }
        }
    }

    private static Raster readRaster(byte[] frame, J2kHeader header) throws DicomException {
        J2KImageReader reader = new J2KImageReader(SPI);
        try (ImageInputStream in = CodestreamGuard.open(frame, header.codestreamOffset(), header.codestreamLength())) {
            reader.setInput(in, true, true);
            return reader.readRaster(0, reader.getDefaultReadParam());
        } catch (IOException | RuntimeException | LinkageError e) {
            DecodeDeadline.check(); // past the deadline, the stream's failure is the deadline's
            throw new DicomException("JPEG 2000 decoding failed: " + describe(e), e);
        } catch (StackOverflowError | AssertionError e) {
            throw new DicomException("JPEG 2000 decoding failed: " + describe(e), e);
        } catch (VirtualMachineError e) {
            throw e; // out of memory and the like are the JVM's, not the stream's
        } catch (Error e) {
            // JJ2000 throws plain Errors (and NotImplementedError) for unsupported or corrupt streams
            DecodeDeadline.check();
            throw new DicomException("JPEG 2000 decoding failed: " + describe(e), e);
        } finally {
            reader.dispose();
            // Each J2KImageReader makes itself JJ2000's process-wide default message logger, so the
            // last one (and the decoding state it holds) would stay reachable: put a silent one back.
            FacilityManager.registerMsgLogger(null, SILENT);
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.replace('\n', ' ').trim());
    }

    /**
     * The raster's samples as native little-endian bytes, interleaved, in the JP2 channel order
     * when the frame has one. Signed samples of a byte raster are sign-extended as the
     * codestream says, so the bytes are GDCM's whatever Pixel Representation says.
     */
    private static byte[] toNative(Raster raster, ImageDescriptor image, J2kHeader header) throws DicomException {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int count = w * h * bands;
        boolean sixteen = image.bitsAllocated() == 16;
        byte[] out = new byte[sixteen ? count * 2 : count];
        DataBuffer db = raster.getDataBuffer();
        int[] order = header.channelOrder();
        if (order == null && isPacked(raster)) {
            if (!sixteen && db instanceof DataBufferByte b) {
                System.arraycopy(b.getData(), 0, out, 0, count);
                return out;
            }
            if (sixteen && (db instanceof DataBufferUShort || db instanceof DataBufferShort)) {
                short[] s = db instanceof DataBufferUShort u ? u.getData() : ((DataBufferShort) db).getData();
                for (int i = 0, o = 0; i < count; i++, o += 2) {
                    short v = s[i];
                    out[o] = (byte) v;
                    out[o + 1] = (byte) (v >> 8);
                }
                return out;
            }
        }
        // General path (a byte raster in a 16-bit container, a JP2 channel order, an unusual layout).
        int[] row = new int[w * bands];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < bands; b++) {
                    int component = order == null ? b : order[b];
                    int v = row[x * bands + component];
                    if (header.signed()[component] && db.getDataType() == DataBuffer.TYPE_BYTE) {
                        v = (byte) v; // byte rasters hold signed 8-bit samples as two's complement
                    }
                    if (sixteen) {
                        out[o++] = (byte) v;
                        out[o++] = (byte) (v >> 8);
                    } else {
                        out[o++] = (byte) v;
                    }
                }
            }
        }
        if (o != out.length) {
            throw new DicomException("JPEG 2000: decoded " + o + " bytes, expected " + out.length);
        }
        return out;
    }

    /** One bank, pixel interleaved with bands in order, no padding, origin at 0: the data is the frame. */
    private static boolean isPacked(Raster raster) {
        SampleModel sm = raster.getSampleModel();
        if (!(sm instanceof PixelInterleavedSampleModel p) || raster.getDataBuffer().getNumBanks() != 1
                || raster.getDataBuffer().getOffset() != 0 || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0 || raster.getMinX() != 0 || raster.getMinY() != 0) {
            return false;
        }
        int bands = raster.getNumBands();
        if (p.getPixelStride() != bands || p.getScanlineStride() != raster.getWidth() * bands
                || sm.getWidth() != raster.getWidth() || sm.getHeight() != raster.getHeight()) {
            return false;
        }
        int[] offsets = p.getBandOffsets();
        for (int b = 0; b < bands; b++) {
            if (offsets[b] != b) {
                return false;
            }
        }
        return true;
    }
}
