package io.roentgen.dicom;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes and encodes the text of SH, LO, ST, LT, PN, UC and UT values according to the
 * Specific Character Set (0008,0005), PS3.3 C.12.1.1.2 and PS3.5 section 6.1.
 *
 * <p>Supported: the default repertoire (decoded leniently as ISO 8859-1, so no byte is lost),
 * the single-byte ISO_IR sets (100, 101, 109, 110, 144, 127, 126, 138, 148, 203, 166, 13),
 * ISO_IR 192 (UTF-8), GB18030 and GBK, and ISO 2022 code extensions (ISO 2022 IR ...) with
 * escape sequences for the single-byte sets, JIS X 0201/0208/0212, KS X 1001 and GB 2312.
 * Unknown terms fall back to the default repertoire. Encoding with code extensions uses the
 * first value's character set only.
 */
public final class SpecificCharacterSet {
    /** The default repertoire (no (0008,0005)). */
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(new String[0], StandardCharsets.ISO_8859_1, false);
    public static final SpecificCharacterSet UTF_8 = new SpecificCharacterSet(new String[] {"ISO_IR 192"}, StandardCharsets.UTF_8, false);

    private static final Map<String, String> CHARSETS = new HashMap<>();

    static {
        String[][] pairs = {
            {"ISO_IR 6", "ISO-8859-1"}, {"ISO 2022 IR 6", "ISO-8859-1"},
            {"ISO_IR 100", "ISO-8859-1"}, {"ISO 2022 IR 100", "ISO-8859-1"},
            {"ISO_IR 101", "ISO-8859-2"}, {"ISO 2022 IR 101", "ISO-8859-2"},
            {"ISO_IR 109", "ISO-8859-3"}, {"ISO 2022 IR 109", "ISO-8859-3"},
            {"ISO_IR 110", "ISO-8859-4"}, {"ISO 2022 IR 110", "ISO-8859-4"},
            {"ISO_IR 144", "ISO-8859-5"}, {"ISO 2022 IR 144", "ISO-8859-5"},
            {"ISO_IR 127", "ISO-8859-6"}, {"ISO 2022 IR 127", "ISO-8859-6"},
            {"ISO_IR 126", "ISO-8859-7"}, {"ISO 2022 IR 126", "ISO-8859-7"},
            {"ISO_IR 138", "ISO-8859-8"}, {"ISO 2022 IR 138", "ISO-8859-8"},
            {"ISO_IR 148", "ISO-8859-9"}, {"ISO 2022 IR 148", "ISO-8859-9"},
            {"ISO_IR 203", "ISO-8859-15"}, {"ISO 2022 IR 203", "ISO-8859-15"},
            {"ISO_IR 166", "TIS-620"}, {"ISO 2022 IR 166", "TIS-620"},
            {"ISO_IR 13", "JIS_X0201"}, {"ISO 2022 IR 13", "JIS_X0201"},
            {"ISO 2022 IR 87", "ISO-2022-JP"}, {"ISO 2022 IR 159", "ISO-2022-JP-2"},
            {"ISO 2022 IR 149", "EUC-KR"}, {"ISO 2022 IR 58", "GB2312"},
            {"ISO_IR 192", "UTF-8"}, {"GB18030", "GB18030"}, {"GBK", "GBK"},
        };
        for (String[] p : pairs) {
            CHARSETS.put(p[0], p[1]);
        }
    }

    private final String[] terms;
    private final Charset primary;
    private final boolean codeExtensions;

    private SpecificCharacterSet(String[] terms, Charset primary, boolean codeExtensions) {
        this.terms = terms;
        this.primary = primary;
        this.codeExtensions = codeExtensions;
    }

    /** The character set named by the values of (0008,0005); null or empty means the default repertoire. */
    public static SpecificCharacterSet of(String... values) {
        if (values == null || values.length == 0 || (values.length == 1 && (values[0] == null || values[0].isBlank()))) {
            return DEFAULT;
        }
        String[] terms = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            terms[i] = values[i] == null ? "" : values[i].strip().toUpperCase(Locale.ROOT);
        }
        if (terms.length == 1 && terms[0].equals("ISO_IR 192")) {
            return UTF_8;
        }
        String first = terms[0].isEmpty() ? "ISO_IR 6" : terms[0];
        Charset cs = charset(first);
        boolean extensions = terms.length > 1 || first.startsWith("ISO 2022");
        return new SpecificCharacterSet(terms, cs == null ? StandardCharsets.ISO_8859_1 : cs, extensions);
    }

    /** True when every term is one this class knows. */
    public boolean isFullySupported() {
        for (String t : terms) {
            if (!t.isEmpty() && charset(t) == null) {
                return false;
            }
        }
        return true;
    }

    /** The values of (0008,0005) this was made from (empty for the default repertoire). */
    public String[] terms() {
        return terms.clone();
    }

    /** The Java charset for the first (initial) value. */
    public Charset charset() {
        return primary;
    }

    private static Charset charset(String term) {
        String name = CHARSETS.get(term);
        if (name == null) {
            return null;
        }
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Decodes {@code length} bytes at {@code offset}. */
    public String decode(byte[] bytes, int offset, int length) {
        if (!codeExtensions || indexOf(bytes, offset, length, (byte) 0x1B) < 0) {
            return new String(bytes, offset, length, primary);
        }
        return decodeWithEscapes(bytes, offset, length);
    }

    private String decodeWithEscapes(byte[] b, int offset, int length) {
        StringBuilder out = new StringBuilder(length);
        int end = offset + length;
        int runStart = offset;
        Charset current = primary;
        int i = offset;
        while (i < end) {
            if (b[i] != 0x1B) {
                i++;
                continue;
            }
            out.append(new String(b, runStart, i - runStart, current));
            int escLen = escapeLength(b, i, end);
            if (escLen == 0) { // unknown escape: keep the byte as is
                out.append('\u001B');
                runStart = ++i;
                continue;
            }
            Charset next = escapeCharset(b, i, escLen);
            if (next != null && (next.name().startsWith("ISO-2022-JP"))) {
                // Let the JDK's ISO-2022-JP decoder see the escape and the run it designates.
                int runEnd = i + escLen;
                while (runEnd < end && b[runEnd] != 0x1B) {
                    runEnd++;
                }
                out.append(new String(b, i, runEnd - i, next));
                i = runEnd;
                runStart = i;
                current = primary;
                continue;
            }
            current = next == null ? current : next;
            i += escLen;
            runStart = i;
        }
        out.append(new String(b, runStart, end - runStart, current));
        return out.toString();
    }

    private static int escapeLength(byte[] b, int i, int end) {
        if (i + 2 < end && (b[i + 1] == '(' || b[i + 1] == ')' || b[i + 1] == '-')) {
            return 3;
        }
        if (i + 2 < end && b[i + 1] == '$') {
            if (b[i + 2] == 'B' || b[i + 2] == '@') {
                return 3;
            }
            if (i + 3 < end && (b[i + 2] == '(' || b[i + 2] == ')')) {
                return 4;
            }
        }
        return 0;
    }

    private static Charset escapeCharset(byte[] b, int i, int len) {
        String esc = new String(b, i + 1, len - 1, StandardCharsets.ISO_8859_1);
        switch (esc) {
            case "(B": return StandardCharsets.ISO_8859_1; // ASCII in G0
            case "(J": return Charset.forName("JIS_X0201"); // JIS X 0201 Romaji
            case ")I": return Charset.forName("JIS_X0201"); // JIS X 0201 Katakana in G1
            case "-A": return StandardCharsets.ISO_8859_1;
            case "-B": return Charset.forName("ISO-8859-2");
            case "-C": return Charset.forName("ISO-8859-3");
            case "-D": return Charset.forName("ISO-8859-4");
            case "-L": return Charset.forName("ISO-8859-5");
            case "-G": return Charset.forName("ISO-8859-6");
            case "-F": return Charset.forName("ISO-8859-7");
            case "-H": return Charset.forName("ISO-8859-8");
            case "-M": return Charset.forName("ISO-8859-9");
            case "-b": return Charset.forName("ISO-8859-15");
            case "-T": return Charset.forName("TIS-620");
            case "$B": case "$@": return Charset.forName("ISO-2022-JP");
            case "$(D": return Charset.forName("ISO-2022-JP-2");
            case "$)C": return Charset.forName("EUC-KR");
            case "$)A": return Charset.forName("GB2312");
            default: return null;
        }
    }

    /**
     * Encodes text with the initial character set.
     *
     * @throws IllegalArgumentException when a character cannot be represented in it
     */
    public byte[] encode(String text) {
        Charset target = terms.length == 0 ? StandardCharsets.US_ASCII : primary;
        CharsetEncoder enc = target.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        if (primary.name().startsWith("ISO-2022-JP")) {
            return text.getBytes(primary);
        }
        try {
            ByteBuffer bb = enc.encode(CharBuffer.wrap(text));
            return Arrays.copyOfRange(bb.array(), bb.arrayOffset() + bb.position(), bb.arrayOffset() + bb.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text cannot be encoded in Specific Character Set "
                    + (terms.length == 0 ? "(default repertoire)" : String.join("\\", terms))
                    + "; set (0008,0005) to ISO_IR 192 for UTF-8", e);
        }
    }

    private static int indexOf(byte[] b, int offset, int length, byte v) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return terms.length == 0 ? "default repertoire" : String.join("\\", terms);
    }
}
