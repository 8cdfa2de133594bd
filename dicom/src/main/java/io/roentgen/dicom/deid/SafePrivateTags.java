package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The private attributes the Retain Safe Private option keeps: PS3.15 Table E.3.10-1 as GDCM
 * transcribes it (safe-private.txt, written by dicom/scripts/safe_private_from_gdcm.py). A private
 * element is known by its group, the low byte of its element and its Private Creator, since the
 * block (the high byte) moves from file to file.
 */
public final class SafePrivateTags {
    private final Set<String> safe;

    private SafePrivateTags(Set<String> safe) {
        this.safe = Set.copyOf(safe);
    }

    private static final class Holder {
        static final SafePrivateTags STANDARD = load();
    }

    public static SafePrivateTags standard() {
        return Holder.STANDARD;
    }

    /** True when the private data element of this data set is on the safe list. */
    public boolean isSafe(DicomObject ds, int tag) {
        String creator = ds.privateCreator(tag);
        return creator != null && safe.contains(key(Tag.group(tag), Tag.element(tag) & 0xFF, creator.strip()));
    }

    public int size() {
        return safe.size();
    }

    private static String key(int group, int offset, String creator) {
        return group + "/" + offset + "/" + creator.toUpperCase(java.util.Locale.ROOT);
    }

    private static SafePrivateTags load() {
        InputStream in = SafePrivateTags.class.getResourceAsStream("safe-private.txt");
        if (in == null) {
            throw new IllegalStateException("missing resource safe-private.txt next to " + SafePrivateTags.class);
        }
        Set<String> safe = new HashSet<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                safe.add(key(Integer.parseInt(f[0], 16), Integer.parseInt(f[1], 16), f[2].strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SafePrivateTags(safe);
    }
}
