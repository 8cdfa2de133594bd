package io.roentgen.dicom.deid;

import io.roentgen.dicom.Uids;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps UIDs to {@code 2.25.} + the decimal of the first 128 bits of HMAC-SHA256(key, UID): the
 * same UID maps to the same new UID in every file and every run of a project, so references
 * (Referenced SOP Instance UID, Frame of Reference UID, ...) stay consistent without a shared
 * table. Well-known UIDs (SOP classes, transfer syntaxes, coding schemes: everything under the
 * DICOM root 1.2.840.10008 or in the dictionary of standard UIDs) identify no one and are kept.
 */
public final class UidMapper {
    private static final String DICOM_ROOT = "1.2.840.10008.";

    /** Past this many UIDs the cache starts over (a bound on memory for runs of millions of files). */
    private static final int CACHE_LIMIT = 1 << 16;

    private final ProjectKey key;
    private final Map<String, String> recorded;
    /**
     * UIDs mapped so far: study, series and frame of reference UIDs repeat in every file of a
     * series, and each SOP Instance UID is mapped twice (the output's name, then the data set),
     * so most HMACs and 128-bit decimal conversions are repeats.
     */
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    /** @param record whether to remember each mapping for a mapping file */
    public UidMapper(ProjectKey key, boolean record) {
        this.key = key;
        this.recorded = record ? new ConcurrentHashMap<>() : null;
    }

    /** True for a UID the standard defines (kept as is). */
    public static boolean isWellKnown(String uid) {
        return uid.startsWith(DICOM_ROOT) || Uids.nameOf(uid) != null;
    }

    /** The new UID; a well-known UID or an empty value is returned unchanged. */
    public String map(String uid) {
        String clean = uid.strip().replace("\0", "");
        if (clean.isEmpty() || isWellKnown(clean)) {
            return clean;
        }
        String mapped = cache.get(clean);
        if (mapped == null) {
            mapped = "2.25." + new BigInteger(1, Arrays.copyOf(key.hmac(clean), 16));
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(clean, mapped);
        }
        if (recorded != null) {
            recorded.put(clean, mapped);
        }
        return mapped;
    }

    /** The mappings made so far (empty unless recording). */
    public Map<String, String> recorded() {
        return recorded == null ? Map.of() : Map.copyOf(recorded);
    }
}
