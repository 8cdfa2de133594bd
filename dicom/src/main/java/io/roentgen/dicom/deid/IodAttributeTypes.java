package io.roentgen.dicom.deid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The Type (1, 2 or 3) that each attribute with a composite action in PS3.15 Table E.1-1 has at
 * the top level of an IOD, by SOP Class UID (composite-action-types.txt, generated from
 * dicom3tools' IOD and module tables by dicom/scripts/iod_attribute_types.py). An attribute the
 * IOD does not hold is absent from its map; an unknown SOP class has no map at all.
 */
public final class IodAttributeTypes {
    static final String RESOURCE = "composite-action-types.txt";

    /** One IOD: its dicom3tools name and the Types of its composite-action attributes. */
    public record Iod(String name, Map<Integer, Character> types) {
        public Iod {
            types = Map.copyOf(types);
        }

        /** '1', '2' or '3', or null when the IOD does not hold the attribute at its top level. */
        public Character type(int tag) {
            return types.get(tag);
        }
    }

    /**
     * Each SOP class's line (its IOD's name, a tab, its cells), parsed into an {@link Iod} on first
     * use: a run meets a few SOP classes of the 84, and parsing all of them cost 13-16 ms of a
     * short {@code roentgen deid}'s start (docs/DECISIONS.md, "The profile table, compiled at
     * build time").
     */
    private final Map<String, String> lines;
    private final Map<String, Iod> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    private IodAttributeTypes(Map<String, String> lines) {
        this.lines = Map.copyOf(lines);
    }

    private static final class Holder {
        static final IodAttributeTypes STANDARD = load();
    }

    public static IodAttributeTypes standard() {
        return Holder.STANDARD;
    }

    /** The IOD of a SOP class, or null when the table does not describe it. */
    public Iod forSopClass(String sopClassUid) {
        if (sopClassUid == null) {
            return null;
        }
        String uid = sopClassUid.strip();
        Iod iod = parsed.get(uid);
        if (iod == null) {
            String line = lines.get(uid);
            if (line == null) {
                return null;
            }
            int tab = line.indexOf('\t');
            iod = new Iod(line.substring(0, tab), parseTypes(line.substring(tab + 1)));
            parsed.putIfAbsent(uid, iod); // two threads may both parse it: equal results
        }
        return iod;
    }

    public int size() {
        return lines.size();
    }

    static IodAttributeTypes load() {
        InputStream in = IodAttributeTypes.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("missing resource " + RESOURCE + " next to " + IodAttributeTypes.class);
        }
        Map<String, String> iods = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int tab = line.indexOf('\t');
                    iods.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new IodAttributeTypes(iods);
    }

    /** "00080023=2 0040A032=1" to {0x00080023: '2', 0x0040A032: '1'}. */
    static Map<Integer, Character> parseTypes(String cells) {
        Map<Integer, Character> types = new HashMap<>();
        for (String cell : cells.strip().split(" ")) {
            if (!cell.isEmpty()) {
                types.put(Integer.parseUnsignedInt(cell.substring(0, 8), 16), cell.charAt(9));
            }
        }
        return types;
    }
}
