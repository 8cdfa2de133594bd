package io.roentgen.dicom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Character string VRs (AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT). Multi-valued VRs
 * separate values with backslashes; LT, ST, UT and UR hold one value. Values are trimmed of
 * spaces and NULs (leading ones kept for LT, ST and UT, whose leading spaces are significant).
 * IS and DS read as numbers; integers from a DS are rounded.
 */
final class StringValues implements ValueType {
    static final StringValues INSTANCE = new StringValues();

    private StringValues() {}

    @Override
    public String first(RawValue v) {
        String s = v.text();
        if (v.vr().isMultiValuedText()) {
            int bs = s.indexOf('\\');
            if (bs >= 0) {
                s = s.substring(0, bs);
            }
        }
        s = trim(s, v.vr());
        return s.isEmpty() ? null : s;
    }

    /** All values (text has no cheap "first n"; {@code max} does not apply). */
    @Override
    public String[] strings(RawValue v, int max) {
        String s = v.text();
        if (s.isEmpty()) {
            return new String[0];
        }
        return v.vr().isMultiValuedText() ? splitTrimmed(s, v.vr()) : new String[] {trim(s, v.vr())};
    }

    @Override
    public long[] longs(RawValue v, int max) {
        String[] parts = numberTexts(v, max);
        long[] r = new long[parts.length];
        for (int k = 0; k < r.length; k++) {
            String p = parts[k];
            if (p == null || p.isEmpty()) {
                return null;
            }
            try {
                r[k] = Long.parseLong(p.startsWith("+") ? p.substring(1) : p);
            } catch (NumberFormatException e) {
                try {
                    r[k] = Math.round(Double.parseDouble(p)); // a DS read as an integer
                } catch (NumberFormatException e2) {
                    return null;
                }
            }
        }
        return r;
    }

    @Override
    public double[] doubles(RawValue v, int max) {
        String[] parts = numberTexts(v, max);
        double[] r = new double[parts.length];
        for (int k = 0; k < r.length; k++) {
            String p = parts[k];
            if (p == null || p.isEmpty()) {
                return null;
            }
            try {
                r[k] = Double.parseDouble(p);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return r;
    }

    /** The first {@code max} values to parse as numbers; a single-valued VR's one value may be null. */
    private String[] numberTexts(RawValue v, int max) {
        String[] parts = v.vr().isMultiValuedText() ? strings(v, max) : new String[] {first(v)};
        return parts.length <= max ? parts : Arrays.copyOf(parts, max);
    }

    /** Values joined with backslashes; null or none makes an empty value. */
    @Override
    public Object fromStrings(VR vr, String[] values, boolean bigEndian) {
        return values == null || values.length == 0 ? "" : String.join("\\", values);
    }

    /** IS and DS only: other text VRs hold no numbers. */
    @Override
    public Object fromLongs(VR vr, long[] values, boolean bigEndian) {
        if (vr != VR.IS && vr != VR.DS) {
            return null;
        }
        StringJoiner j = new StringJoiner("\\");
        for (long v : values) {
            j.add(Long.toString(v));
        }
        return j.toString();
    }

    /** DS in its shortest form that reads back the same (at most 16 characters); IS rounded. */
    @Override
    public Object fromDoubles(VR vr, double[] values, boolean bigEndian) {
        if (vr != VR.IS && vr != VR.DS) {
            return null;
        }
        StringJoiner j = new StringJoiner("\\");
        for (double v : values) {
            j.add(vr == VR.IS ? Long.toString(Math.round(v)) : formatDS(v));
        }
        return j.toString();
    }

    /** The text of encoded bytes: with the Specific Character Set for the VRs that use it, else ISO 8859-1. */
    static String decode(VR vr, byte[] b, int offset, int length, SpecificCharacterSet cs) {
        return vr.usesSpecificCharacterSet() ? cs.decode(b, offset, length)
                : new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }

    /** The bytes of text: Specific Character Set, UTF-8 for UR (RFC 3986) and UN, else ISO 8859-1. */
    static byte[] encode(VR vr, String text, SpecificCharacterSet cs) {
        if (vr.usesSpecificCharacterSet()) {
            return cs.encode(text);
        }
        return text.getBytes(vr == VR.UR || vr == VR.UN ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    static String[] splitTrimmed(String s, VR vr) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (true) {
            int bs = s.indexOf('\\', start);
            parts.add(trim(bs < 0 ? s.substring(start) : s.substring(start, bs), vr));
            if (bs < 0) {
                break;
            }
            start = bs + 1;
        }
        return parts.toArray(new String[0]);
    }

    static String trim(String s, VR vr) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        if (vr != VR.LT && vr != VR.ST && vr != VR.UT) {
            while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\0')) {
                start++;
            }
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    static String formatDS(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        if (s.length() <= 16) {
            return s;
        }
        for (int digits = 15; digits >= 1; digits--) {
            String t = String.format(Locale.ROOT, "%." + digits + "G", v).replaceFirst("\\.?0+(E|$)", "$1");
            if (t.length() <= 16) {
                return t.replace("E+", "E");
            }
        }
        return s.substring(0, 16);
    }
}
