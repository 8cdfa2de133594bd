package io.roentgen.datasets.synth;

import io.roentgen.dicom.TransferSyntax;
import io.roentgen.engine.RoentgenException;
import java.util.Locale;

/** The transfer syntaxes {@code roentgen synth --transfer-syntax} writes. */
public enum SynthEncoding {
    EXPLICIT(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
    IMPLICIT(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN),
    DEFLATE(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN),
    RLE(TransferSyntax.RLE_LOSSLESS);

    private final TransferSyntax transferSyntax;

    SynthEncoding(TransferSyntax transferSyntax) {
        this.transferSyntax = transferSyntax;
    }

    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    /** Parses {@code explicit|implicit|deflate|rle}, any case. */
    public static SynthEncoding parse(String text) throws RoentgenException {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage("--transfer-syntax must be explicit, implicit, deflate or rle, not '" + text + "'");
        }
    }
}
