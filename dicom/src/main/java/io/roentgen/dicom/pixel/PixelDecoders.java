package io.roentgen.dicom.pixel;

import io.roentgen.dicom.codec.PixelDecoder;

import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.UnsupportedTransferSyntaxException;
import io.roentgen.dicom.codec.jpeg.JpegBaselineDecoder;
import io.roentgen.dicom.codec.jpeg.JpegExtendedDecoder;
import io.roentgen.dicom.codec.jpeg.JpegLosslessDecoder;
import io.roentgen.dicom.codec.jpeg2000.Jpeg2000Decoder;
import io.roentgen.dicom.codec.jpegls.JpegLsDecoder;
import io.roentgen.dicom.codec.rle.RleDecoder;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the {@link PixelDecoder} for an encapsulated transfer syntax. A syntax with no decoder
 * is an {@link UnsupportedTransferSyntaxException} that names it, never garbage pixels.
 */
public final class PixelDecoders {
    private static final Map<String, PixelDecoder> BY_UID = register(List.of(
            new RleDecoder(),
            new JpegBaselineDecoder(),
            new JpegExtendedDecoder(),
            new JpegLosslessDecoder(),
            new JpegLsDecoder(),
            new Jpeg2000Decoder()));

    private PixelDecoders() {}

    private static Map<String, PixelDecoder> register(List<PixelDecoder> decoders) {
        Map<String, PixelDecoder> byUid = new LinkedHashMap<>();
        for (PixelDecoder decoder : decoders) {
            for (String uid : decoder.transferSyntaxUids()) {
                if (byUid.putIfAbsent(uid, decoder) != null) {
                    throw new IllegalStateException("two decoders claim transfer syntax " + uid);
                }
            }
        }
        return Collections.unmodifiableMap(byUid);
    }

    /** The decoder for an encapsulated syntax. */
    public static PixelDecoder forTransferSyntax(TransferSyntax syntax) throws UnsupportedTransferSyntaxException {
        PixelDecoder decoder = BY_UID.get(syntax.uid());
        if (decoder == null) {
            throw syntax.unsupported();
        }
        return decoder;
    }

    /** Whether Roentgen decodes this syntax's pixel data (native syntaxes always). */
    public static boolean isSupported(TransferSyntax syntax) {
        return syntax.isNative() || BY_UID.containsKey(syntax.uid());
    }

    /** The encapsulated syntaxes that have a decoder, in registration order. */
    public static Set<String> encapsulatedUids() {
        return BY_UID.keySet();
    }
}
