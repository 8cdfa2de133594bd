package io.roentgen.dicom.deid;

import java.util.Map;
import java.util.Set;

/**
 * One row of PS3.15 Table E.1-1: which tags it covers (a tag under a mask, for the 50xx and 60xx
 * rows), its Basic Profile action, and the action each option column gives.
 *
 * @param tag the tag with the masked nibbles zero
 * @param mask the bits of a tag that must equal {@code tag}
 * @param name the attribute's name in the standard
 * @param basic the Basic Profile action as printed: D, Z, X, K, C, U or a composite such as X/Z/D
 * @param options the action of each option column that has one
 */
public record ProfileRule(int tag, int mask, String name, String basic, Map<DeidOption, String> options) {
    public ProfileRule {
        options = Map.copyOf(options);
    }

    public boolean matches(int candidate) {
        return (candidate & mask) == tag;
    }

    /**
     * The action text in force with these options. An option's K (retain) wins over another
     * option's C (clean), because retaining is what the user asked for explicitly; with neither,
     * the Basic Profile action.
     */
    public String action(Set<DeidOption> enabled) {
        String result = null;
        for (DeidOption o : enabled) {
            String a = options.get(o);
            if (a != null && (result == null || "K".equals(a))) {
                result = a;
            }
        }
        return result != null ? result : basic;
    }
}
