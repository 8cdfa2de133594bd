package io.roentgen.dicom.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.pixel.PixelDecoders;

/**
 * What the SCP accepts: Verification and the image storage SOP classes of PS3.4 (the table is
 * generated from the standard's data, image-storage-sop-classes.txt), each with the transfer
 * syntaxes our reader decodes, in our order of preference.
 */
public final class SopClasses {
    public static final String VERIFICATION = "1.2.840.10008.1.1";

    private static final Map<String, String> IMAGE_STORAGE = load();

    private SopClasses() {}

    /** UID to PS3.4 name of every image storage SOP class, in the standard's order. */
    public static Map<String, String> imageStorage() {
        return IMAGE_STORAGE;
    }

    public static boolean isImageStorage(String uid) {
        return IMAGE_STORAGE.containsKey(uid);
    }

    /**
     * The transfer syntaxes accepted for storage, most preferred first: Explicit VR Little Endian,
     * then the other native ones, then every encapsulated syntax that has a pixel decoder.
     */
    public static List<String> storageTransferSyntaxes() {
        List<String> uids = new ArrayList<>(List.of(
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid(),
                TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid(),
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.uid()));
        uids.addAll(PixelDecoders.encapsulatedUids());
        return Collections.unmodifiableList(uids);
    }

    /** Verification has no data set: the two uncompressed little endian syntaxes serve. */
    public static List<String> verificationTransferSyntaxes() {
        return List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid());
    }

    private static Map<String, String> load() {
        InputStream in = SopClasses.class.getResourceAsStream("image-storage-sop-classes.txt");
        if (in == null) {
            throw new IllegalStateException("missing resource image-storage-sop-classes.txt next to " + SopClasses.class);
        }
        Map<String, String> map = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty() && line.charAt(0) != '#') {
                    int tab = line.indexOf('\t');
                    map.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(map);
    }
}
