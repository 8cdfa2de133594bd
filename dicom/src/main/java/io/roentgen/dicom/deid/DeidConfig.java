package io.roentgen.dicom.deid;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a de-identification run does.
 *
 * @param key the project key (UIDs, pseudonyms, date shifts)
 * @param options the PS3.15 options in force (Clean Pixel Data is implied by masks, not set here)
 * @param masks per-device burned-in text masks, or null to refuse images that may carry burned-in text
 * @param recordMappings whether to remember original-to-new IDs and UIDs for a mapping file
 */
public record DeidConfig(ProjectKey key, Set<DeidOption> options, BurnedInMasks masks, boolean recordMappings) {
    public DeidConfig {
        options = options.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(options));
        if (options.contains(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES) && options.contains(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)) {
            throw new IllegalArgumentException("full and modified dates exclude each other");
        }
        if (options.contains(DeidOption.CLEAN_PIXEL_DATA)) {
            throw new IllegalArgumentException("Clean Pixel Data follows from burned-in masks, not from an option");
        }
    }

    /** The Basic Profile alone. */
    public static DeidConfig basic(ProjectKey key) {
        return new DeidConfig(key, Set.of(), null, false);
    }

    public boolean has(DeidOption o) {
        return options.contains(o);
    }
}
