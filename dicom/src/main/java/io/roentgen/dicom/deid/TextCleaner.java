package io.roentgen.dicom.deid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Action C on free text (Clean Descriptors, Clean Structured Content, and the patient
 * characteristics the table marks C): every value this data set held in an attribute the
 * profile removes or replaces (names and their components, IDs, birth dates, addresses,
 * accession numbers, at any depth) is cut out of the descriptor, case-insensitively. Text that
 * names a patient without repeating any of those values is beyond a string match; that residual
 * risk is why cleaning is an option and removal the default.
 */
final class TextCleaner {
    /** Shorter fragments (initials, "MR") would shred ordinary words. */
    static final int MIN_FRAGMENT = 3;
    /** Where a value splits into parts: PN's ^ and =, multi-value backslashes, commas, spaces (compiled once, not per file). */
    private static final Pattern SEPARATORS = Pattern.compile("[\\^=\\\\,\\s]+");

    private final List<String> fragments;

    private TextCleaner(List<String> fragments) {
        this.fragments = fragments;
    }

    static TextCleaner of(Set<String> identifyingValues) {
        Set<String> parts = new LinkedHashSet<>();
        for (String v : identifyingValues) {
            add(parts, v);
            for (String piece : SEPARATORS.split(v)) {
                add(parts, piece);
            }
        }
        List<String> sorted = new ArrayList<>(parts);
        sorted.sort(Comparator.comparingInt(String::length).reversed()); // longest first: "Smith^John" before "Smith"
        return new TextCleaner(sorted);
    }

    private static void add(Set<String> parts, String v) {
        String s = v.strip();
        if (s.length() >= MIN_FRAGMENT) {
            parts.add(s.toLowerCase(Locale.ROOT));
        }
    }

    String clean(String text) {
        String out = text;
        for (String f : fragments) {
            out = removeIgnoringCase(out, f);
        }
        return out;
    }

    private static String removeIgnoringCase(String text, String lowerFragment) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.length() != text.length() || !lower.contains(lowerFragment)) {
            return lower.length() != text.length() && lower.contains(lowerFragment) ? "" : text;
        }
        StringBuilder b = new StringBuilder();
        int from = 0;
        int at;
        while ((at = lower.indexOf(lowerFragment, from)) >= 0) {
            b.append(text, from, at);
            from = at + lowerFragment.length();
        }
        return b.append(text, from, text.length()).toString();
    }
}
