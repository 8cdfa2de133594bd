package io.roentgen.dicom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** UIDs: generation in the 2.25 (UUID) form, Roentgen's implementation UID, names of well-known UIDs. */
public final class Uids {
    private Uids() {}

    /** Roentgen's Implementation Class UID (0002,0012), fixed for this implementation. */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.164075142515074102665718509891354802682";

    /** Roentgen's Implementation Version Name (0002,0013), at most 16 characters. */
    public static final String IMPLEMENTATION_VERSION_NAME = "ROENTGEN_0.1";

    /** A new UID {@code 2.25.<random UUID as an unsigned decimal integer>} (PS3.5 B.2), at most 44 characters. */
    public static String generate() {
        return fromUuid(UUID.randomUUID());
    }

    /** The 2.25 UID of a UUID. */
    public static String fromUuid(UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(uuid.getMostSignificantBits());
        b.putLong(uuid.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    /** True for a syntactically valid UID: at most 64 characters, digits and dots, no empty or zero-led component. */
    public static boolean isValid(String uid) {
        if (uid == null || uid.isEmpty() || uid.length() > 64) {
            return false;
        }
        int componentStart = 0;
        for (int i = 0; i <= uid.length(); i++) {
            if (i == uid.length() || uid.charAt(i) == '.') {
                int len = i - componentStart;
                if (len == 0 || (len > 1 && uid.charAt(componentStart) == '0')) {
                    return false;
                }
                componentStart = i + 1;
            } else if (uid.charAt(i) < '0' || uid.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The keyword of a well-known UID as dcmtk names it ("CTImageStorage"), the name of a transfer
     * syntax, or null.
     */
    public static String nameOf(String uid) {
        if (uid == null) {
            return null;
        }
        String clean = uid.strip().replace("\0", "");
        String ts = TransferSyntax.nameOf(clean);
        return ts != null ? ts : Names.BY_UID.get(clean);
    }

    private static final class Names {
        static final Map<String, String> BY_UID = new HashMap<>();

        static {
            InputStream in = Uids.class.getResourceAsStream("uids.txt");
            if (in == null) {
                throw new IllegalStateException("missing resource uids.txt next to " + Uids.class);
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isEmpty() && line.charAt(0) != '#') {
                        int tab = line.indexOf('\t');
                        BY_UID.put(line.substring(0, tab), line.substring(tab + 1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
