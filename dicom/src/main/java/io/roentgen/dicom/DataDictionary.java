package io.roentgen.dicom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names (keywords), VRs and VMs of DICOM attributes, from dcmtk's data dictionary (PS3.6 plus
 * DICONDE and DICOS; generated into {@code dictionary.txt} by
 * {@code dicom/src/test/fixtures/make-dictionary.py}) and dcmtk's private dictionary.
 *
 * <p>Repeating groups such as (50xx,xxxx) curves and (60xx,3000) overlays match every even group
 * in their range. Group lengths (gggg,0000) are UL, private creators (gggg,0010-00FF) in odd
 * groups are LO. Where the standard allows several VRs ("US or SS", "OB or OW"), {@link #vr(int)}
 * gives the one to read an implicit VR value with (US, OW, OW for LUT data, UL for offsets) and
 * {@link #vrText(int)} the dictionary's own text.
 */
public final class DataDictionary {
    private DataDictionary() {}

    /** One dictionary entry. {@code vrText} is as in PS3.6, e.g. "US or SS". */
    public record Entry(String keyword, VR vr, String vrText, String vm) {}

    private static final Entry GROUP_LENGTH = new Entry("GroupLength", VR.UL, "UL", "1");
    private static final Entry PRIVATE_CREATOR = new Entry("PrivateCreator", VR.LO, "LO", "1");

    /** The entry for a tag, or null when the dictionary does not know it (private tags included). */
    public static Entry entry(int tag) {
        Entry e = Standard.find(tag);
        if (e != null) {
            return e;
        }
        if (Tag.isGroupLength(tag) && Tag.group(tag) != 0xFFFE) {
            return GROUP_LENGTH;
        }
        if (Tag.isPrivateCreator(tag)) {
            return PRIVATE_CREATOR;
        }
        return null;
    }

    /** The entry for a private tag whose block is reserved by {@code privateCreator}, or null. */
    public static Entry privateEntry(int tag, String privateCreator) {
        if (privateCreator == null || !Tag.isPrivate(tag) || Tag.element(tag) < 0x1000) {
            return null;
        }
        return Private.find(Tag.group(tag), privateCreator.strip(), Tag.element(tag) & 0xFF);
    }

    /** The VR to read an implicit VR value of this tag with; UN when unknown. */
    public static VR vr(int tag) {
        Entry e = entry(tag);
        return e == null ? VR.UN : e.vr();
    }

    /** The dictionary's VR text ("US or SS"), or "UN" when unknown. */
    public static String vrText(int tag) {
        Entry e = entry(tag);
        return e == null ? "UN" : e.vrText();
    }

    /** The keyword, e.g. "PatientID", or null when unknown. Retired ones start with "RETIRED_". */
    public static String keyword(int tag) {
        Entry e = entry(tag);
        return e == null ? null : e.keyword();
    }

    /** The value multiplicity, e.g. "1", "1-n", "2-2n", or null when unknown. */
    public static String vm(int tag) {
        Entry e = entry(tag);
        return e == null ? null : e.vm();
    }

    /** The tag with this keyword (exact, case-sensitive), or null; repeating groups give their first group. */
    public static Integer tagForKeyword(String keyword) {
        return Standard.BY_KEYWORD.get(keyword);
    }

    private static BufferedReader open(String name) {
        InputStream in = DataDictionary.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing resource " + name + " next to " + DataDictionary.class);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
    }

    static VR resolve(String vrText) {
        switch (vrText) {
            case "xs": return VR.US;
            case "ox": case "px": case "lt": return VR.OW;
            case "up": return VR.UL;
            default:
                VR vr = VR.ofName(vrText);
                return vr == null ? VR.UN : vr;
        }
    }

    static String displayVr(String vrText) {
        switch (vrText) {
            case "xs": return "US or SS";
            case "ox": case "px": return "OB or OW";
            case "lt": return "US or SS or OW";
            case "up": return "UL";
            default: return vrText;
        }
    }

    /** The standard dictionary, loaded on first use. */
    private static final class Standard {
        static final int[] TAGS;
        static final Entry[] ENTRIES;
        static final int[] PATTERN_MASK;
        static final int[] PATTERN_VALUE;
        static final Entry[] PATTERN_ENTRIES;
        static final Map<String, Integer> BY_KEYWORD = new HashMap<>();

        static {
            List<int[]> exact = new ArrayList<>();
            List<Entry> exactEntries = new ArrayList<>();
            List<int[]> patterns = new ArrayList<>();
            List<Entry> patternEntries = new ArrayList<>();
            try (BufferedReader r = open("dictionary.txt")) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isEmpty() || line.charAt(0) == '#') {
                        continue;
                    }
                    String[] f = line.split("\t");
                    String tagText = f[0];
                    Entry e = new Entry(f[3], resolve(f[1]), displayVr(f[1]), f[2]);
                    int mask = 0;
                    int value = 0;
                    for (int i = 0; i < 8; i++) {
                        char c = tagText.charAt(i);
                        mask <<= 4;
                        value <<= 4;
                        if (c != 'x') {
                            mask |= 0xF;
                            value |= Character.digit(c, 16);
                        }
                    }
                    if (mask == -1) {
                        exact.add(new int[] {value});
                        exactEntries.add(e);
                    } else {
                        patterns.add(new int[] {mask, value});
                        patternEntries.add(e);
                    }
                    BY_KEYWORD.putIfAbsent(e.keyword(), value);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            Integer[] order = new Integer[exact.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Integer.compareUnsigned(exact.get(a)[0], exact.get(b)[0]));
            TAGS = new int[order.length];
            ENTRIES = new Entry[order.length];
            for (int i = 0; i < order.length; i++) {
                TAGS[i] = exact.get(order[i])[0];
                ENTRIES[i] = exactEntries.get(order[i]);
            }
            PATTERN_MASK = new int[patterns.size()];
            PATTERN_VALUE = new int[patterns.size()];
            PATTERN_ENTRIES = patternEntries.toArray(new Entry[0]);
            for (int i = 0; i < PATTERN_MASK.length; i++) {
                PATTERN_MASK[i] = patterns.get(i)[0];
                PATTERN_VALUE[i] = patterns.get(i)[1];
            }
        }

        static Entry find(int tag) {
            int lo = 0;
            int hi = TAGS.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = Integer.compareUnsigned(TAGS[mid], tag);
                if (c < 0) {
                    lo = mid + 1;
                } else if (c > 0) {
                    hi = mid - 1;
                } else {
                    return ENTRIES[mid];
                }
            }
            if ((Tag.group(tag) & 1) == 0) { // repeating groups are even groups only
                for (int i = 0; i < PATTERN_MASK.length; i++) {
                    if ((tag & PATTERN_MASK[i]) == PATTERN_VALUE[i] && (Tag.element(tag) & 1) == 0 | (PATTERN_MASK[i] & 0xFFFF) == 0xFFFF) {
                        return PATTERN_ENTRIES[i];
                    }
                }
            }
            return null;
        }
    }

    /** dcmtk's private dictionary, loaded on first use. */
    private static final class Private {
        static final Map<String, Entry> ENTRIES = new HashMap<>();

        static {
            try (BufferedReader r = open("private-dictionary.txt")) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isEmpty() || line.charAt(0) == '#') {
                        continue;
                    }
                    String[] f = line.split("\t", -1);
                    if (f.length < 6) {
                        continue;
                    }
                    String key = f[0] + '|' + f[1] + '|' + f[2];
                    ENTRIES.putIfAbsent(key, new Entry(f[5], resolve(f[3]), displayVr(f[3]), f[4]));
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        static Entry find(int group, String creator, int elementByte) {
            String key = String.format("%04X|%s|%02X", group, creator, elementByte);
            return ENTRIES.get(key);
        }
    }
}
