package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Retain Safe Private list (PS3.15 Table E.3.10-1, safe-private.txt): a data set carrying
 * every listed private element, each under its own Private Creator, keeps every one of them under
 * Retain Safe Private, at the block it had; the same creators' unlisted elements, and an unknown
 * creator's, are removed. Without the option nothing private stays. The rows are read from the
 * resource here, not from {@link SafePrivateTags}, so a loader that drops rows fails.
 */
class SafePrivateListTest {
    private static final ProjectKey KEY = new ProjectKey("safe-private-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    private record Row(int group, int offset, String creator) {}

    @Test
    void everyListedElementSurvivesAndNothingElse() throws IOException {
        List<Row> rows = rows();
        assertTrue(rows.size() >= 400, "the table's rows: " + rows.size());
        Built built = build(rows);
        DicomObject ds = built.ds;
        new Deidentifier(new DeidConfig(KEY, EnumSet.of(DeidOption.RETAIN_SAFE_PRIVATE), null, false)).deidentify(ds);

        List<String> lost = new ArrayList<>();
        for (Map.Entry<Integer, Row> e : built.listed.entrySet()) {
            int tag = e.getKey();
            if (!ds.contains(tag) || !e.getValue().creator().equals(ds.privateCreator(tag))
                    || !value(e.getValue()).equals(ds.getString(tag))) {
                lost.add(Tag.toString(tag) + " " + e.getValue());
            }
        }
        assertEquals(List.of(), lost, "listed safe private elements lost");
        for (int tag : built.unlisted) {
            assertTrue(!ds.contains(tag), "unlisted private element kept: " + Tag.toString(tag) + " " + ds.privateCreator(tag));
        }
        assertNull(findCreator(ds, 0x0029, "UNSAFE VENDOR"), "an unneeded Private Creator is removed");
    }

    @Test
    void withoutTheOptionNothingPrivateStays() throws IOException {
        Built built = build(rows());
        DicomObject ds = built.ds;
        new Deidentifier(DeidConfig.basic(KEY)).deidentify(ds);
        for (int tag : ds.tags()) {
            assertTrue((Tag.group(tag) & 1) == 0, "private element kept without the option: " + Tag.toString(tag));
        }
    }

    /** A synthetic CT header with each creator in its own block of its group, in file order. */
    private static Built build(List<Row> rows) {
        DicomObject ds = new DicomObject();
        ds.putString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
        ds.putString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1137.20.77.1");
        ds.putString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1137.20.77");
        ds.putString(Tag.Modality, VR.CS, "CT");
        Map<String, Integer> blocks = new HashMap<>();
        Map<Integer, Integer> nextBlock = new HashMap<>();
        Map<Integer, Row> listed = new LinkedHashMap<>();
        Map<String, Set<Integer>> offsetsByCreator = new HashMap<>();
        for (Row r : rows) {
            int block = blocks.computeIfAbsent(r.group() + "/" + r.creator(), k -> {
                int b = nextBlock.merge(r.group(), 1, Integer::sum) + 0x0F;
                ds.putString(Tag.of(r.group(), b), VR.LO, r.creator());
                return b;
            });
            int tag = Tag.of(r.group(), (block << 8) | r.offset());
            ds.putString(tag, VR.LO, value(r));
            listed.put(tag, r);
            offsetsByCreator.computeIfAbsent(r.group() + "/" + r.creator(), k -> new java.util.HashSet<>()).add(r.offset());
        }
        List<Integer> unlisted = new ArrayList<>();
        for (Map.Entry<String, Integer> b : blocks.entrySet()) {
            int group = Integer.parseInt(b.getKey().substring(0, b.getKey().indexOf('/')));
            Set<Integer> used = offsetsByCreator.get(b.getKey());
            for (int offset = 0xFF; offset >= 0; offset--) {
                if (!used.contains(offset)) {
                    int tag = Tag.of(group, (b.getValue() << 8) | offset);
                    ds.putString(tag, VR.LO, "SMITH^UNLISTED");
                    unlisted.add(tag);
                    break;
                }
            }
        }
        ds.putString(Tag.of(0x0029, 0x0010), VR.LO, "UNSAFE VENDOR");
        ds.putString(Tag.of(0x0029, 0x1001), VR.LO, "SMITH^JOHN");
        unlisted.add(Tag.of(0x0029, 0x1001));
        return new Built(ds, listed, unlisted);
    }

    private record Built(DicomObject ds, Map<Integer, Row> listed, List<Integer> unlisted) {}

    private static String value(Row r) {
        return String.format("V%04X%02X", r.group(), r.offset());
    }

    private static Integer findCreator(DicomObject ds, int group, String creator) {
        for (int tag : ds.tags()) {
            if (Tag.group(tag) == group && Tag.isPrivateCreator(tag) && creator.equals(ds.getString(tag))) {
                return tag;
            }
        }
        return null;
    }

    private static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = SafePrivateTags.class.getResourceAsStream("safe-private.txt")) {
            assertNotNull(in, "safe-private.txt");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                rows.add(new Row(Integer.parseInt(f[0], 16), Integer.parseInt(f[1], 16), f[2]));
            }
        }
        return rows;
    }
}
