package io.roentgen.dicom.deid;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DataDictionary;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Composite actions of PS3.15 Table E.1-1 resolve by the attribute's Type in the object's IOD
 * (E.3): a CT, an MR and a Comprehensive SR header carrying every composite-action attribute at
 * its top level are de-identified with the Basic Profile, and each attribute ends as the table
 * data says: Type 1 a dummy (or, for X/Z/U*, the sequence kept with its UIDs replaced), Type 2
 * zero-length, Type 3 or not in the IOD removed. The expectations come from the two data files
 * (Table E.1-1 and the IOD Types), read here; an unknown SOP class keeps the any-Type choices.
 */
class CompositeActionTypesTest {
    private static final ProjectKey KEY = new ProjectKey("composite-types-key-0123456789".getBytes(StandardCharsets.US_ASCII));
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    private static final String SR = "1.2.840.10008.5.1.4.1.1.88.33";
    private static final String REFERENCED = "1.2.826.0.1.3680043.10.1137.20.88.9";

    @Test
    void ctMrAndSrFollowTheirIodTypes() throws IOException {
        Map<Integer, String> composite = compositeRows();
        assertEquals(49, composite.size(), "composite rows of Table E.1-1");
        Map<String, Map<Integer, Character>> types = iodTypes();
        for (String[] object : new String[][] {{"CT", CT}, {"MR", MR}, {"SR", SR}}) {
            Map<Integer, Character> iod = types.get(object[1]);
            assertNotNull(iod, object[0] + " is in the IOD table");
            Set<String> seen = check(object[0], object[1], composite, iod);
            assertTrue(seen.containsAll(Set.of("X", "Z", "D")), object[0] + " exercises removal, emptying and dummies: " + seen);
        }
        assertEquals('1', types.get(SR).get(0x00080023), "SR Content Date is Type 1 (SR Document General)");
        assertEquals('2', types.get(CT).get(0x00080023), "CT Content Date is Type 2C (General Image)");
    }

    @Test
    void anUnknownSopClassKeepsTheChoiceValidForAnyType() throws IOException {
        Set<String> seen = check("OT", "1.2.826.0.1.3680043.10.1137.20.88.1", compositeRows(), null);
        assertTrue(!seen.contains("X") && seen.contains("Z") && seen.contains("U"), "no IOD: nothing removed: " + seen);
    }

    /** De-identifies one header and checks every composite attribute; the actions expected, as a set. */
    private static Set<String> check(String modality, String sopClass, Map<Integer, String> composite, Map<Integer, Character> iod) {
        SyntheticStudies study = new SyntheticStudies("1.2.826.0.1.3680043.10.1137.20.88");
        study.sopUids.add("1.2.826.0.1.3680043.10.1137.20.88.4.1");
        DicomObject ds = study.instance(0, modality, sopClass, 16);
        Map<Integer, String> original = new HashMap<>();
        for (int tag : composite.keySet()) {
            original.put(tag, put(ds, tag));
        }
        new Deidentifier(DeidConfig.basic(KEY)).deidentify(ds);
        List<String> wrong = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Map.Entry<Integer, String> row : new TreeMap<>(composite).entrySet()) {
            int tag = row.getKey();
            String expected = expected(row.getValue(), iod == null ? null : iod.getOrDefault(tag, '3'));
            seen.add(expected);
            String problem = outcome(ds, tag, expected, original.get(tag));
            if (problem != null) {
                wrong.add(modality + " " + Tag.toString(tag) + " " + row.getValue() + " Type " + (iod == null ? "?" : iod.get(tag))
                        + " -> " + expected + ": " + problem);
            }
        }
        assertEquals(List.of(), wrong);
        return seen;
    }

    /**
     * PS3.15 E.3 from the table data: X unless Z or D (or U for the UID references of X/Z/U*) is
     * needed for conformance. Z/D is a dummy (Z allows one); without an IOD the choice valid for any Type.
     */
    private static String expected(String action, Character type) {
        if (action.equals("Z/D")) {
            return "D";
        }
        if (type == null) {
            return action.equals("X/Z") ? "Z" : action.equals("X/Z/U*") ? "U" : "D";
        }
        return switch (type) {
            case '1' -> action.endsWith("U*") ? "U" : action.contains("D") ? "D" : "Z";
            case '2' -> action.contains("Z") ? "Z" : "D";
            default -> "X";
        };
    }

    private static String outcome(DicomObject ds, int tag, String expected, String was) {
        boolean present = ds.contains(tag);
        boolean sequence = DataDictionary.vr(tag) == VR.SQ;
        switch (expected) {
            case "X":
                return present ? "still present" : null;
            case "Z":
                if (!present) {
                    return "removed";
                }
                return (sequence ? ds.getSequence(tag).isEmpty() : ds.valueLength(tag) == 0) ? null : "not zero-length";
            case "D":
                if (!present) {
                    return "removed";
                }
                if (sequence) {
                    return ds.getSequence(tag).isEmpty() ? null : "sequence not emptied";
                }
                String now = ds.getString(tag, "");
                return !now.isEmpty() && !now.equals(was) ? null : "not a dummy: '" + now + "'";
            default: // U: the sequence stays, its Referenced SOP Instance UID replaced
                if (!present || ds.getSequence(tag).size() != 1) {
                    return "sequence not kept";
                }
                String uid = ds.getSequence(tag).get(0).getString(Tag.ReferencedSOPInstanceUID);
                return uid != null && uid.startsWith("2.25.") ? null : "UID not replaced: " + uid;
        }
    }

    /** A value of the attribute's VR; returns it as text (sequences: one reference item). */
    private static String put(DicomObject ds, int tag) {
        VR vr = DataDictionary.vr(tag);
        String value = switch (vr) {
            case DA -> "20240311";
            case TM -> "101500";
            case DT -> "20240311101500";
            case PN -> "QUILLANDER^ZEPHYRINA";
            case SQ -> null;
            default -> "VALUE1";
        };
        if (vr == VR.SQ) {
            DicomObject item = new DicomObject();
            item.putString(Tag.ReferencedSOPClassUID, VR.UI, CT);
            item.putString(Tag.ReferencedSOPInstanceUID, VR.UI, REFERENCED);
            ds.putSequence(tag, item);
            return REFERENCED;
        }
        ds.putString(tag, vr, value);
        return value;
    }

    /** Table E.1-1's rows whose Basic Profile action is composite, from the standard's data. */
    private static Map<Integer, String> compositeRows() throws IOException {
        Map<Integer, String> rows = new HashMap<>();
        for (JsonElement e : JsonParser.parseString(resource("confidentiality_profile_attributes.json")).getAsJsonArray()) {
            String action = e.getAsJsonObject().get("basicProfile").getAsString().strip();
            String tag = e.getAsJsonObject().get("tag").getAsString().replaceAll("[(),]", "");
            if (action.contains("/") && tag.matches("[0-9A-Fa-f]{8}")) {
                rows.put(Integer.parseUnsignedInt(tag, 16), action);
            }
        }
        return rows;
    }

    /** SOP Class UID to {tag: Type} from composite-action-types.txt. */
    private static Map<String, Map<Integer, Character>> iodTypes() throws IOException {
        Map<String, Map<Integer, Character>> iods = new HashMap<>();
        for (String line : resource("composite-action-types.txt").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            Map<Integer, Character> types = new HashMap<>();
            for (String cell : f[2].trim().split(" ")) {
                String[] kv = cell.split("=");
                types.put(Integer.parseUnsignedInt(kv[0], 16), kv[1].charAt(0));
            }
            iods.put(f[0], types);
        }
        return iods;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ProfileTable.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
