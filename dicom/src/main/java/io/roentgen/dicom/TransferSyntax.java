package io.roentgen.dicom;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A DICOM transfer syntax: its UID, its name from PS3.6 Table A-1, and how a data set in it is
 * encoded (explicit or implicit VR, byte order, deflate, encapsulated pixel data). All standard
 * transfer syntaxes are known by name; {@link #of(String)} also answers for UIDs it does not know,
 * assuming Explicit VR Little Endian with encapsulated pixel data (what every non-standard
 * compressed syntax uses).
 */
public final class TransferSyntax {
    private static final int F_IMPLICIT = 1;
    private static final int F_BIG_ENDIAN = 2;
    private static final int F_DEFLATED = 4;
    private static final int F_ENCAPSULATED = 8;
    private static final int F_LOSSY = 16;
    private static final int F_RETIRED = 32;
    private static final int F_REFERENCED = 64;
    private static final int F_VIDEO = F_ENCAPSULATED | F_LOSSY | 128;

    private static final Map<String, TransferSyntax> KNOWN = new LinkedHashMap<>();

    // Uncompressed and deflated
    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            std("1.2.840.10008.1.2", "Implicit VR Little Endian", F_IMPLICIT);
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            std("1.2.840.10008.1.2.1", "Explicit VR Little Endian", 0);
    public static final TransferSyntax ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN =
            std("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", F_ENCAPSULATED);
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
            std("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", F_DEFLATED);
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            std("1.2.840.10008.1.2.2", "Explicit VR Big Endian", F_BIG_ENDIAN | F_RETIRED);

    // JPEG (ISO/IEC 10918-1)
    public static final TransferSyntax JPEG_BASELINE =
            std("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", F_ENCAPSULATED | F_LOSSY);
    public static final TransferSyntax JPEG_EXTENDED =
            std("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", F_ENCAPSULATED | F_LOSSY);
    public static final TransferSyntax JPEG_EXTENDED_3_5 = std("1.2.840.10008.1.2.4.52",
            "JPEG Extended (Process 3 & 5) (Retired)", F_ENCAPSULATED | F_LOSSY | F_RETIRED);
    public static final TransferSyntax JPEG_SPECTRAL_SELECTION_6_8 = std("1.2.840.10008.1.2.4.53",
            "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8) (Retired)", F_ENCAPSULATED | F_LOSSY | F_RETIRED);
    public static final TransferSyntax JPEG_SPECTRAL_SELECTION_7_9 = std("1.2.840.10008.1.2.4.54",
            "JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9) (Retired)", F_ENCAPSULATED | F_LOSSY | F_RETIRED);
    public static final TransferSyntax JPEG_FULL_PROGRESSION_10_12 = std("1.2.840.10008.1.2.4.55",
            "JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (Retired)", F_ENCAPSULATED | F_LOSSY | F_RETIRED);
    public static final TransferSyntax JPEG_FULL_PROGRESSION_11_13 = std("1.2.840.10008.1.2.4.56",
            "JPEG Full Progression, Non-Hierarchical (Process 11 & 13) (Retired)", F_ENCAPSULATED | F_LOSSY | F_RETIRED);
    public static final TransferSyntax JPEG_LOSSLESS = std("1.2.840.10008.1.2.4.57",
            "JPEG Lossless, Non-Hierarchical (Process 14)", F_ENCAPSULATED);
    public static final TransferSyntax JPEG_LOSSLESS_15 = std("1.2.840.10008.1.2.4.58",
            "JPEG Lossless, Non-Hierarchical (Process 15) (Retired)", F_ENCAPSULATED | F_RETIRED);
    public static final TransferSyntax JPEG_EXTENDED_HIERARCHICAL_16_18 = std("1.2.840.10008.1.2.4.59",
            "JPEG Extended, Hierarchical (Process 16 & 18) (Retired)", F_ENCAPSULATED | F_LOSSY | F_RETIRED);
    public static final TransferSyntax JPEG_EXTENDED_HIERARCHICAL_17_19 = std("1.2.840.10008.1.2.4.60",
            "JPEG Extended, Hierarchical (Process 17 & 19) (Retired)", F_ENCAPSULATED | F_LOSSY | F_RETIRED);
    public static final TransferSyntax JPEG_SPECTRAL_SELECTION_HIERARCHICAL_20_22 = std("1.2.840.10008.1.2.4.61",
            "JPEG Spectral Selection, Hierarchical (Process 20 & 22) (Retired)", F_ENCAPSULATED | F_LOSSY | F_RETIRED);
    public static final TransferSyntax JPEG_SPECTRAL_SELECTION_HIERARCHICAL_21_23 = std("1.2.840.10008.1.2.4.62",
            "JPEG Spectral Selection, Hierarchical (Process 21 & 23) (Retired)", F_ENCAPSULATED | F_LOSSY | F_RETIRED);
    public static final TransferSyntax JPEG_FULL_PROGRESSION_HIERARCHICAL_24_26 = std("1.2.840.10008.1.2.4.63",
            "JPEG Full Progression, Hierarchical (Process 24 & 26) (Retired)", F_ENCAPSULATED | F_LOSSY | F_RETIRED);
    public static final TransferSyntax JPEG_FULL_PROGRESSION_HIERARCHICAL_25_27 = std("1.2.840.10008.1.2.4.64",
            "JPEG Full Progression, Hierarchical (Process 25 & 27) (Retired)", F_ENCAPSULATED | F_LOSSY | F_RETIRED);
    public static final TransferSyntax JPEG_LOSSLESS_HIERARCHICAL_28 = std("1.2.840.10008.1.2.4.65",
            "JPEG Lossless, Hierarchical (Process 28) (Retired)", F_ENCAPSULATED | F_RETIRED);
    public static final TransferSyntax JPEG_LOSSLESS_HIERARCHICAL_29 = std("1.2.840.10008.1.2.4.66",
            "JPEG Lossless, Hierarchical (Process 29) (Retired)", F_ENCAPSULATED | F_RETIRED);
    public static final TransferSyntax JPEG_LOSSLESS_SV1 = std("1.2.840.10008.1.2.4.70",
            "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", F_ENCAPSULATED);

    // JPEG-LS, JPEG 2000, JPIP
    public static final TransferSyntax JPEG_LS_LOSSLESS =
            std("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", F_ENCAPSULATED);
    public static final TransferSyntax JPEG_LS_NEAR_LOSSLESS =
            std("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", F_ENCAPSULATED | F_LOSSY);
    public static final TransferSyntax JPEG_2000_LOSSLESS =
            std("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", F_ENCAPSULATED);
    public static final TransferSyntax JPEG_2000 =
            std("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", F_ENCAPSULATED | F_LOSSY);
    public static final TransferSyntax JPEG_2000_MC_LOSSLESS = std("1.2.840.10008.1.2.4.92",
            "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)", F_ENCAPSULATED);
    public static final TransferSyntax JPEG_2000_MC = std("1.2.840.10008.1.2.4.93",
            "JPEG 2000 Part 2 Multi-component Image Compression", F_ENCAPSULATED | F_LOSSY);
    public static final TransferSyntax JPIP_REFERENCED = std("1.2.840.10008.1.2.4.94", "JPIP Referenced", F_REFERENCED);
    public static final TransferSyntax JPIP_REFERENCED_DEFLATE =
            std("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate", F_DEFLATED | F_REFERENCED);

    // MPEG and HEVC video
    public static final TransferSyntax MPEG2_MPML =
            std("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", F_VIDEO);
    public static final TransferSyntax MPEG2_MPML_FRAGMENTABLE =
            std("1.2.840.10008.1.2.4.100.1", "Fragmentable MPEG2 Main Profile / Main Level", F_VIDEO);
    public static final TransferSyntax MPEG2_MPHL =
            std("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level", F_VIDEO);
    public static final TransferSyntax MPEG2_MPHL_FRAGMENTABLE =
            std("1.2.840.10008.1.2.4.101.1", "Fragmentable MPEG2 Main Profile / High Level", F_VIDEO);
    public static final TransferSyntax MPEG4_HP41 =
            std("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", F_VIDEO);
    public static final TransferSyntax MPEG4_HP41_FRAGMENTABLE =
            std("1.2.840.10008.1.2.4.102.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1", F_VIDEO);
    public static final TransferSyntax MPEG4_HP41_BD =
            std("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", F_VIDEO);
    public static final TransferSyntax MPEG4_HP41_BD_FRAGMENTABLE = std("1.2.840.10008.1.2.4.103.1",
            "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", F_VIDEO);
    public static final TransferSyntax MPEG4_HP42_2D =
            std("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", F_VIDEO);
    public static final TransferSyntax MPEG4_HP42_2D_FRAGMENTABLE = std("1.2.840.10008.1.2.4.104.1",
            "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", F_VIDEO);
    public static final TransferSyntax MPEG4_HP42_3D =
            std("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", F_VIDEO);
    public static final TransferSyntax MPEG4_HP42_3D_FRAGMENTABLE = std("1.2.840.10008.1.2.4.105.1",
            "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", F_VIDEO);
    public static final TransferSyntax MPEG4_HP42_STEREO =
            std("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", F_VIDEO);
    public static final TransferSyntax MPEG4_HP42_STEREO_FRAGMENTABLE = std("1.2.840.10008.1.2.4.106.1",
            "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", F_VIDEO);
    public static final TransferSyntax HEVC_MP51 =
            std("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1", F_VIDEO);
    public static final TransferSyntax HEVC_M10P51 =
            std("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1", F_VIDEO);

    // JPEG XL, High-Throughput JPEG 2000
    public static final TransferSyntax JPEG_XL_LOSSLESS =
            std("1.2.840.10008.1.2.4.110", "JPEG XL Lossless", F_ENCAPSULATED);
    public static final TransferSyntax JPEG_XL_JPEG_RECOMPRESSION =
            std("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression", F_ENCAPSULATED | F_LOSSY);
    public static final TransferSyntax JPEG_XL = std("1.2.840.10008.1.2.4.112", "JPEG XL", F_ENCAPSULATED | F_LOSSY);
    public static final TransferSyntax HTJ2K_LOSSLESS = std("1.2.840.10008.1.2.4.201",
            "High-Throughput JPEG 2000 Image Compression (Lossless Only)", F_ENCAPSULATED);
    public static final TransferSyntax HTJ2K_LOSSLESS_RPCL = std("1.2.840.10008.1.2.4.202",
            "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)", F_ENCAPSULATED);
    public static final TransferSyntax HTJ2K = std("1.2.840.10008.1.2.4.203",
            "High-Throughput JPEG 2000 Image Compression", F_ENCAPSULATED | F_LOSSY);
    public static final TransferSyntax JPIP_HTJ2K_REFERENCED =
            std("1.2.840.10008.1.2.4.204", "JPIP HTJ2K Referenced", F_REFERENCED);
    public static final TransferSyntax JPIP_HTJ2K_REFERENCED_DEFLATE =
            std("1.2.840.10008.1.2.4.205", "JPIP HTJ2K Referenced Deflate", F_DEFLATED | F_REFERENCED);

    // RLE and others
    public static final TransferSyntax RLE_LOSSLESS = std("1.2.840.10008.1.2.5", "RLE Lossless", F_ENCAPSULATED);
    public static final TransferSyntax RFC_2557_MIME = std("1.2.840.10008.1.2.6.1",
            "RFC 2557 MIME encapsulation (Retired)", F_RETIRED);
    public static final TransferSyntax XML_ENCODING = std("1.2.840.10008.1.2.6.2", "XML Encoding (Retired)", F_RETIRED);
    public static final TransferSyntax SMPTE_ST_2110_20_PROGRESSIVE = std("1.2.840.10008.1.2.7.1",
            "SMPTE ST 2110-20 Uncompressed Progressive Active Video", 0);
    public static final TransferSyntax SMPTE_ST_2110_20_INTERLACED = std("1.2.840.10008.1.2.7.2",
            "SMPTE ST 2110-20 Uncompressed Interlaced Active Video", 0);
    public static final TransferSyntax SMPTE_ST_2110_30_PCM = std("1.2.840.10008.1.2.7.3",
            "SMPTE ST 2110-30 PCM Digital Audio", 0);
    public static final TransferSyntax DEFLATED_IMAGE_FRAME_COMPRESSION = std("1.2.840.10008.1.2.8.1",
            "Deflated Image Frame Compression", F_ENCAPSULATED);

    private final String uid;
    private final String name;
    private final int flags;
    private final boolean known;

    private TransferSyntax(String uid, String name, int flags, boolean known) {
        this.uid = uid;
        this.name = name;
        this.flags = flags;
        this.known = known;
    }

    private static TransferSyntax std(String uid, String name, int flags) {
        TransferSyntax ts = new TransferSyntax(uid, name, flags, true);
        KNOWN.put(uid, ts);
        return ts;
    }

    /**
     * The transfer syntax with this UID: a standard one, or for an unknown UID one named
     * "Unknown transfer syntax" that is read as Explicit VR Little Endian with encapsulated pixel
     * data when Pixel Data has undefined length. Trailing NUL and spaces are ignored.
     */
    public static TransferSyntax of(String uid) {
        Objects.requireNonNull(uid, "uid");
        String clean = uid.strip().replace("\0", "");
        TransferSyntax ts = KNOWN.get(clean);
        return ts != null ? ts : new TransferSyntax(clean, "Unknown transfer syntax", F_ENCAPSULATED, false);
    }

    /** The standard transfer syntax with this UID, or null. */
    public static TransferSyntax lookup(String uid) {
        return uid == null ? null : KNOWN.get(uid.strip().replace("\0", ""));
    }

    /** The name of a transfer syntax UID from PS3.6, or null when it is not a standard one. */
    public static String nameOf(String uid) {
        TransferSyntax ts = lookup(uid);
        return ts == null ? null : ts.name;
    }

    /** All standard transfer syntaxes, in UID order. */
    public static Collection<TransferSyntax> all() {
        return Collections.unmodifiableCollection(KNOWN.values());
    }

    public String uid() {
        return uid;
    }

    /** The PS3.6 name, e.g. "JPEG 2000 Image Compression (Lossless Only)". */
    public String name() {
        return name;
    }

    /** True when this UID is one of the standard transfer syntaxes. */
    public boolean isKnown() {
        return known;
    }

    /** True unless this is Implicit VR Little Endian. */
    public boolean isExplicitVR() {
        return (flags & F_IMPLICIT) == 0;
    }

    public boolean isBigEndian() {
        return (flags & F_BIG_ENDIAN) != 0;
    }

    /** True when the data set after the File Meta Information is a raw deflate stream. */
    public boolean isDeflated() {
        return (flags & F_DEFLATED) != 0;
    }

    /** True when Pixel Data is encapsulated: fragments of compressed (or framed) data. */
    public boolean isEncapsulated() {
        return (flags & F_ENCAPSULATED) != 0;
    }

    /** True when Pixel Data, if any, is native (uncompressed) in the data set. */
    public boolean isNative() {
        return (flags & (F_ENCAPSULATED | F_REFERENCED)) == 0;
    }

    /** True for syntaxes whose compression may lose information (lossy JPEG, JPEG 2000, video...). */
    public boolean isLossy() {
        return (flags & F_LOSSY) != 0;
    }

    public boolean isRetired() {
        return (flags & F_RETIRED) != 0;
    }

    /** True for MPEG-2, MPEG-4 AVC/H.264 and HEVC/H.265 video. */
    public boolean isVideo() {
        return (flags & 128) != 0;
    }

    /** True for JPIP referenced syntaxes: the pixel data are not in the file but at a URL. */
    public boolean isPixelDataReferenced() {
        return (flags & F_REFERENCED) != 0;
    }

    /** The exception to throw when no decoder exists for this syntax. */
    public UnsupportedTransferSyntaxException unsupported() {
        return new UnsupportedTransferSyntaxException(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransferSyntax && ((TransferSyntax) o).uid.equals(uid);
    }

    @Override
    public int hashCode() {
        return uid.hashCode();
    }

    /** {@code "1.2.840.10008.1.2.4.90 (JPEG 2000 Image Compression (Lossless Only))"}. */
    @Override
    public String toString() {
        return uid + " (" + name + ")";
    }
}
