package io.roentgen.dicom.deid;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DataDictionary;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row of PS3.15 Table E.1-1 (read here straight from the standard's JSON, not through
 * {@link ProfileTable}) is honoured under the Basic Profile and under each option: one data set
 * carries every attribute of the table, is de-identified, and each attribute is checked against
 * what its row's action demands. The data set's SOP class is one the IOD table does not know, so
 * composite actions are checked against the documented resolution without IOD knowledge (X/Z to
 * Z, X/D Z/D X/Z/D to D, X/Z/U* to U*; {@link CompositeActionTypesTest} checks the resolution by
 * IOD Type), and D on a sequence against an empty sequence.
 */
class ProfileTableTest {
    /** A private SOP class: no IOD Types, so composite actions take their any-Type choice. */
    private static final String UNKNOWN_SOP_CLASS = "1.2.826.0.1.3680043.10.1137.20.99";
    static final byte[] KEY = "profile-table-test-key-0123456789".getBytes(StandardCharsets.US_ASCII);
    static final String PATIENT_ID = "PID-TABLE-1";
    /** Every PN value is this name, and every text value ends in its family name, so cleaning has something to cut. */
    static final String NAME = "SMITH^JANE";
    static final int PATIENT_ID_TAG = Tag.PatientID;
    /** Tags the dcmtk dictionary does not know yet, with their VRs from PS3.6. */
    static final Map<Integer, VR> NEWER_TAGS = Map.of(0x00181204, VR.DA, 0x00181205, VR.DA, 0x00120023, VR.SQ, 0x0012_0022, VR.LO,
            0x3006004D, VR.DT, 0x3006002D, VR.DT, 0x3006004E, VR.DT, 0x3006002E, VR.DT);

    record Row(String tagText, int tag, String name, String basic, Map<String, String> options) {}

    static List<Row> rows() throws Exception {
        Path json = Path.of("src/main/resources/io/roentgen/dicom/deid/confidentiality_profile_attributes.json");
        List<Row> rows = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(json)).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            Map<String, String> opts = new java.util.HashMap<>();
            for (String k : o.keySet()) {
                if (k.endsWith("Opt")) {
                    opts.put(k, o.get(k).getAsString());
                }
            }
            String t = o.get("tag").getAsString();
            int tag = t.contains("G") || t.contains("X") ? 0 : (int) Long.parseLong(t.replaceAll("[(),]", ""), 16);
            rows.add(new Row(t, tag, o.get("name").getAsString(), o.get("basicProfile").getAsString(), opts));
        }
        return rows;
    }

    @Test
    void theTableHasEveryRowOfTheStandard() throws Exception {
        List<Row> rows = rows();
        assertEquals(621, rows.size());
        assertEquals(620, ProfileTable.standard().rules().size(), "all but the private-attributes row are tag rules");
        for (Row r : rows) {
            if (r.tag() != 0) {
                assertEquals(r.basic(), ProfileTable.standard().rule(r.tag()).basic(), r.name());
            }
        }
    }

    @Test
    void basicProfile() throws Exception {
        check(EnumSet.noneOf(DeidOption.class));
    }

    @ParameterizedTest
    @EnumSource(value = DeidOption.class, names = "CLEAN_PIXEL_DATA", mode = EnumSource.Mode.EXCLUDE)
    void eachOption(DeidOption option) throws Exception {
        check(EnumSet.of(option));
    }

    @Test
    void retainFullDatesWithEveryOtherRetainOption() throws Exception {
        check(EnumSet.of(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES, DeidOption.RETAIN_UIDS, DeidOption.RETAIN_DEVICE_IDENTITY,
                DeidOption.RETAIN_INSTITUTION_IDENTITY, DeidOption.RETAIN_PATIENT_CHARACTERISTICS, DeidOption.CLEAN_DESCRIPTORS));
    }

    private void check(Set<DeidOption> options) throws Exception {
        List<Row> rows = rows();
        DicomObject ds = new DicomObject();
        Map<Integer, String> original = new java.util.HashMap<>();
        for (Row r : rows) {
            if (r.tag() != 0 && Tag.group(r.tag()) != 0x0002) {
                original.put(r.tag(), put(ds, r.tag(), vrOf(r.tag())));
            }
        }
        ds.putString(Tag.SOPClassUID, VR.UI, UNKNOWN_SOP_CLASS);
        org.junit.jupiter.api.Assertions.assertNull(IodAttributeTypes.standard().forSopClass(UNKNOWN_SOP_CLASS));
        ds.putString(PATIENT_ID_TAG, VR.LO, PATIENT_ID);
        original.put(PATIENT_ID_TAG, PATIENT_ID);
        ds.putString(0x50000010, VR.US, "1");                       // a curve attribute
        ds.putString(0x60004000, VR.LT, "overlay comment " + NAME); // overlay comments
        ds.putBytes(0x60003000, VR.OW, new byte[] {1, 0, 1, 0});   // overlay data
        ds.putString(0x00090010, VR.LO, "ACME 1.0");
        ds.putString(0x00091001, VR.LO, "PRIVATE " + NAME);
        ds.putString(0x00430010, VR.LO, "GEMS_PARM_01");
        ds.putString(0x00431027, VR.SH, "1.375");
        String sopInstance = ds.getString(Tag.SOPInstanceUID);

        DeidOutcome outcome = new Deidentifier(new DeidConfig(new ProjectKey(KEY), options, null, false)).deidentify(ds);
        assertTrue(!outcome.isRefused(), outcome.refusal());

        List<String> failures = new ArrayList<>();
        Integer shift = null;
        for (Row r : rows) {
            String action = action(r, options);
            if (r.tag() == 0) {
                checkPatterned(ds, r, action, failures);
                continue;
            }
            if (Tag.group(r.tag()) == 0x0002) {
                checkFileMeta(ds, sopInstance, options, failures);
                continue;
            }
            VR vr = vrOf(r.tag());
            String was = original.get(r.tag());
            String msg = r.tagText() + " " + r.name() + " (" + vr + ", action " + action + "): ";
            boolean present = ds.contains(r.tag());
            String now = present ? text(ds, r.tag(), vr) : null;
            switch (action) {
                case "X" -> expect(!present, msg + "still present: " + now, failures);
                case "K" -> expect(present && (vr == VR.SQ ? ds.getSequence(r.tag()).size() == 1 : was.equals(now)), msg + "not kept: " + now, failures);
                case "Z" -> expect(present && (vr == VR.SQ ? ds.getSequence(r.tag()).isEmpty() : ds.valueLength(r.tag()) == 0),
                        msg + "not zero-length: " + now, failures);
                case "D" -> {
                    if (vr == VR.SQ) {
                        expect(present && ds.getSequence(r.tag()).isEmpty(), msg + "sequence not emptied", failures);
                    } else {
                        expect(present && !now.isEmpty() && !now.equals(was) && (vr != VR.UI || now.equals(expectedUid(was))),
                                msg + "not a dummy: " + now, failures);
                    }
                }
                case "U" -> {
                    if (vr == VR.SQ) {
                        List<DicomObject> items = ds.getSequence(r.tag());
                        expect(items.size() == 1 && expectedUid(ITEM_UID).equals(items.get(0).getString(Tag.ReferencedSOPInstanceUID)),
                                msg + "sequence not kept with its UIDs replaced", failures);
                    } else {
                        expect(present && expectedUid(was).equals(now), msg + "not mapped: " + now, failures);
                    }
                }
                case "C" -> {
                    if (vr == VR.DA || vr == VR.DT) {
                        expect(present && now.length() >= 8 && now.substring(8).equals(was.substring(8)), msg + "not shifted: " + now, failures);
                        if (present && now.length() >= 8) {
                            int days = (int) ChronoUnit.DAYS.between(date(was), date(now));
                            expect(days <= -1 && days >= -3652 && (shift == null || shift == days), msg + "shift " + days + " vs " + shift, failures);
                            shift = days;
                        }
                    } else if (vr == VR.TM) {
                        expect(was.equals(now), msg + "time changed by a whole-day shift: " + now, failures);
                    } else if (vr == VR.SQ) {
                        expect(present && ds.getSequence(r.tag()).size() == 1, msg + "sequence not kept for cleaning", failures);
                    } else if (vr.isText()) {
                        expect(present && now.strip().equals(was.replace("SMITH", "").strip()), msg + "not cleaned: " + now, failures);
                    } else {
                        expect(!present, msg + "binary value not removed", failures);
                    }
                }
                default -> failures.add(msg + "unknown action");
            }
        }
        assertEquals(List.of(), failures, "options " + options);
        assertEquals("YES", ds.getString(0x00120062));
        Set<String> codes = new HashSet<>();
        ds.getSequence(0x00120064).forEach(i -> codes.add(i.getString(Tag.CodeValue)));
        Set<String> expected = new HashSet<>(Set.of("113100"));
        options.forEach(o -> expected.add(o.code()));
        assertEquals(expected, codes);
    }

    static final String ITEM_UID = "1.2.826.0.1.3680043.10.999.77";

    /** Puts a value of the VR; returns it as text (what getStrings joins). */
    private static String put(DicomObject ds, int tag, VR vr) {
        String hex = String.format("%08X", tag);
        switch (vr) {
            case SQ -> {
                DicomObject item = new DicomObject();
                item.putString(Tag.CodeValue, VR.SH, "ITEM");
                item.putString(Tag.ReferencedSOPInstanceUID, VR.UI, ITEM_UID);
                ds.putSequence(tag, item);
                return "";
            }
            case UI -> { ds.putString(tag, vr, "1.2.826.0.1.3680043.10.999." + (tag & 0x7FFFFFFF)); }
            case DA -> ds.putString(tag, vr, "20200102");
            case DT -> ds.putString(tag, vr, "20200102101010");
            case TM -> ds.putString(tag, vr, "101010");
            case PN -> ds.putString(tag, vr, NAME);
            case AS -> ds.putString(tag, vr, "045Y");
            case IS -> ds.putString(tag, vr, "7");
            case DS -> ds.putString(tag, vr, "1.5");
            case US, SS, UL, SL -> ds.putInts(tag, vr, 7);
            case OB, OW, UN -> ds.putBytes(tag, vr, new byte[] {1, 2});
            case UR -> ds.putString(tag, vr, "http://example.org/" + hex);
            default -> ds.putString(tag, vr, "T" + hex + " SMITH");
        }
        return text(ds, tag, vr);
    }

    /** The value as text; binary values as their bytes (getStrings gives nothing for OB, OW and UN). */
    private static String text(DicomObject ds, int tag, VR vr) {
        return vr == VR.OB || vr == VR.OW || vr == VR.UN ? Arrays.toString(ds.getBytes(tag)) : String.join("\\", ds.getStrings(tag));
    }

    private static VR vrOf(int tag) {
        VR v = NEWER_TAGS.get(tag);
        if (v == null) {
            v = DataDictionary.vr(tag);
        }
        return v == null ? VR.LO : v;
    }

    /** The action in force: an enabled option's K wins, then its C, else the basic action, resolved as documented. */
    static String action(Row r, Set<DeidOption> options) {
        String a = null;
        for (DeidOption o : options) {
            String v = r.options().get(o.column());
            if (v != null && (a == null || v.equals("K"))) {
                a = v;
            }
        }
        String raw = a != null ? a : r.basic();
        return switch (raw) {
            case "X/Z" -> "Z";
            case "X/D", "Z/D", "X/Z/D" -> "D";
            case "X/Z/U*" -> "U";
            default -> raw;
        };
    }

    /** Curves 50xx and overlays 60xx are removed whatever the option (a text match cannot clean a bitmap); private tags unless safe. */
    private static void checkPatterned(DicomObject ds, Row r, String action, List<String> failures) {
        if (r.tagText().startsWith("(50")) {
            expect(!ds.contains(0x50000010), "curve kept", failures);
        } else if (r.tagText().startsWith("(60")) {
            expect(!ds.contains(0x60004000) && !ds.contains(0x60003000), "overlay kept", failures);
        } else {
            expect(!ds.contains(0x00091001) && !ds.contains(0x00090010), "unsafe private attribute kept", failures);
            boolean safeKept = ds.contains(0x00431027) && ds.contains(0x00430010);
            expect(action.equals("C") == safeKept, "safe private attribute: action " + action + ", kept " + safeKept, failures);
        }
    }

    /** (0002,0003) U: the writer's Media Storage SOP Instance UID is the new SOP Instance UID. */
    private static void checkFileMeta(DicomObject ds, String sopInstance, Set<DeidOption> options, List<String> failures) throws Exception {
        DicomObject back = DicomReader.defaults().read(DicomWriter.explicitLittleEndian().toByteArray(ds));
        String expected = options.contains(DeidOption.RETAIN_UIDS) ? sopInstance : expectedUid(sopInstance);
        expect(expected.equals(back.fileMeta().getString(Tag.MediaStorageSOPInstanceUID)), "(0002,0003) is not the new SOP Instance UID", failures);
    }

    /** 2.25. + the first 128 bits of HMAC-SHA256(key, UID), computed here independently. */
    static String expectedUid(String uid) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            byte[] h = mac.doFinal(uid.getBytes(StandardCharsets.US_ASCII));
            return "2.25." + new BigInteger(1, Arrays.copyOf(h, 16));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static LocalDate date(String daOrDt) {
        return LocalDate.parse(daOrDt.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
    }

    private static void expect(boolean ok, String message, List<String> failures) {
        if (!ok) {
            failures.add(message);
        }
    }
}
