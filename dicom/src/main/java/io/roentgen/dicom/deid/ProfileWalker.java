package io.roentgen.dicom.deid;

import io.roentgen.dicom.DataDictionary;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Applies PS3.15 Table E.1-1 to one data set and every item of every sequence at any depth:
 * each public attribute gets its row's action (with the options in force), private attributes
 * go unless safe, overlays and curves go, and every UI value not named by the table goes
 * through the same UID map, so references stay consistent wherever they sit.
 *
 * <p>Composite actions resolve by the attribute's Type in the object's IOD, found from its SOP
 * Class UID ({@link CompositeActions}, {@link IodAttributeTypes}); inside sequence items and for
 * SOP classes the table lacks, to the choice that keeps the file valid for any Type. D on a
 * sequence empties it (a dummy item would need IOD knowledge; the items' free text could
 * identify). These choices are documented in DECISIONS.
 */
final class ProfileWalker {
    private final ProfileTable table;
    private final DeidConfig config;
    private final UidMapper uids;
    private final Pseudonyms pseudonyms;
    private final DateShifter shifter;
    private final TextCleaner cleaner;

    ProfileWalker(ProfileTable table, DeidConfig config, UidMapper uids, Pseudonyms pseudonyms, DateShifter shifter, TextCleaner cleaner) {
        this.table = table;
        this.config = config;
        this.uids = uids;
        this.pseudonyms = pseudonyms;
        this.shifter = shifter;
        this.cleaner = cleaner;
    }

    /** The action letter a row's (possibly composite) action comes to, without IOD knowledge. */
    static String resolve(String action) {
        return CompositeActions.withoutIod(action);
    }

    /** True when a tag is in an overlay (60xx) or curve (50xx) repeating group, removed whole. */
    static boolean isOverlayOrCurve(int tag) {
        int group = Tag.group(tag);
        return (group & 0xFF01) == 0x6000 || (group & 0xFF01) == 0x5000;
    }

    /** The top-level data set: composite actions follow its IOD's Types. */
    void walk(DicomObject ds) {
        walk(ds, IodAttributeTypes.standard().forSopClass(ds.getString(Tag.SOPClassUID)));
    }

    /** @param iod the IOD whose Types resolve composite actions here, or null (sequence items, unknown classes) */
    private void walk(DicomObject ds, IodAttributeTypes.Iod iod) {
        removePrivate(ds);
        for (int tag : ds.tags()) {
            if ((Tag.group(tag) & 1) == 1) {
                if (!Tag.isPrivate(tag)) {
                    ds.remove(tag); // odd groups 0001-0007 are illegal, and private in spirit
                }
                continue; // a private tag still here was kept by removePrivate: safe
            }
            if (Tag.group(tag) == 0x0002 || isOverlayOrCurve(tag)) {
                ds.remove(tag); // file meta is rebuilt by the writer from the de-identified data set
                continue;
            }
            ProfileRule rule = table.rule(tag);
            VR vr = vrOf(ds, tag);
            if (rule != null) {
                apply(ds, tag, vr, CompositeActions.resolve(rule.action(config.options()), iod, tag));
            } else {
                unlisted(ds, tag, vr);
            }
        }
    }

    private static VR vrOf(DicomObject ds, int tag) {
        VR vr = ds.vr(tag);
        if (vr == VR.UN) {
            VR dict = DataDictionary.vr(tag);
            return dict != null ? dict : VR.UN;
        }
        return vr;
    }

    /** Attributes the table does not name are kept, but UIDs are mapped, dates shifted and sequences entered. */
    private void unlisted(DicomObject ds, int tag, VR vr) {
        if (vr == VR.SQ) {
            walkItems(ds, tag);
        } else if (vr == VR.UI && !config.has(DeidOption.RETAIN_UIDS)) {
            mapUids(ds, tag);
        } else if ((vr == VR.DA || vr == VR.DT) && shifter != null) {
            shift(ds, tag, vr);
        }
    }

    private void apply(DicomObject ds, int tag, VR vr, String action) {
        switch (action) {
            case "K" -> {
                if (vr == VR.SQ) {
                    walkItems(ds, tag);
                }
            }
            case "X" -> ds.remove(tag);
            case "Z" -> empty(ds, tag, vr);
            case "D" -> dummy(ds, tag, vr);
            case "U" -> {
                if (vr == VR.SQ) {
                    walkItems(ds, tag);
                } else if (vr == VR.UI) {
                    mapUids(ds, tag);
                } else {
                    dummy(ds, tag, vr);
                }
            }
            case "C" -> clean(ds, tag, vr);
            default -> throw new IllegalStateException("unknown action " + action + " for " + Tag.toString(tag));
        }
    }

    private void walkItems(DicomObject ds, int tag) {
        for (DicomObject item : ds.getSequence(tag)) {
            walk(item, null);
        }
    }

    private static void empty(DicomObject ds, int tag, VR vr) {
        if (vr == VR.SQ) {
            ds.putSequence(tag, List.of());
        } else {
            ds.putBytes(tag, vr, new byte[0]);
        }
    }

    private void dummy(DicomObject ds, int tag, VR vr) {
        if (vr == VR.SQ) {
            ds.putSequence(tag, List.of());
            return;
        }
        if (vr == VR.UI) {
            mapUids(ds, tag);
            return;
        }
        String text = pseudonyms.dummy(tag, vr, vr.isText() ? ds.getString(tag, "") : "");
        if (text != null) {
            ds.putString(tag, vr, text);
        } else if (vr.isBinaryInteger() || vr.isBinaryFloat()) {
            ds.putBytes(tag, vr, new byte[vr == VR.AT ? 4 : Math.max(2, vr.bytesPerValue())]);
        } else {
            ds.putBytes(tag, vr, new byte[2]); // OB, OW, UN: a non-zero-length dummy of zeros
        }
    }

    private void mapUids(DicomObject ds, int tag) {
        String[] values = ds.getStrings(tag);
        if (values.length == 0) {
            return;
        }
        String[] mapped = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            mapped[i] = uids.map(values[i]);
        }
        ds.putString(tag, VR.UI, mapped);
    }

    private void shift(DicomObject ds, int tag, VR vr) {
        String value = ds.getString(tag) == null ? null : String.join("\\", ds.getStrings(tag));
        if (value == null) {
            return;
        }
        String shifted = vr == VR.DA ? shifter.shiftDate(value) : shifter.shiftDateTime(value);
        if (shifted == null) {
            empty(ds, tag, vr); // a partial or broken date cannot be shifted, so it cannot stay either
        } else {
            ds.putString(tag, vr, shifted);
        }
    }

    private void clean(DicomObject ds, int tag, VR vr) {
        if (vr == VR.SQ) {
            walkItems(ds, tag);
        } else if (vr == VR.DA || vr == VR.DT) {
            if (shifter != null) {
                shift(ds, tag, vr);
            } else {
                empty(ds, tag, vr);
            }
        } else if (vr == VR.TM) {
            return; // whole-day shifts leave times of day as they were
        } else if (vr == VR.UI) {
            mapUids(ds, tag);
        } else if (vr.isText()) {
            List<String> cleaned = new ArrayList<>();
            for (String s : ds.getStrings(tag)) {
                cleaned.add(cleaner.clean(s));
            }
            ds.putString(tag, vr, cleaned.toArray(String[]::new));
        } else {
            ds.remove(tag); // binary data cannot be cleaned by a text match: remove (e.g. overlay data)
        }
    }

    /**
     * Removes private data elements, except those on the safe list under Retain Safe Private,
     * and the Private Creators no kept element needs.
     */
    private void removePrivate(DicomObject ds) {
        boolean keepSafe = config.has(DeidOption.RETAIN_SAFE_PRIVATE);
        Set<Integer> neededCreators = new java.util.HashSet<>();
        List<Integer> drop = new ArrayList<>();
        for (int tag : ds.tags()) {
            if (!Tag.isPrivate(tag) || Tag.isPrivateCreator(tag)) {
                continue;
            }
            if (keepSafe && Tag.element(tag) >= 0x1000 && SafePrivateTags.standard().isSafe(ds, tag)) {
                neededCreators.add(Tag.of(Tag.group(tag), Tag.element(tag) >>> 8));
            } else {
                drop.add(tag);
            }
        }
        for (int tag : ds.tags()) {
            if (Tag.isPrivateCreator(tag) && !neededCreators.contains(tag)) {
                drop.add(tag);
            }
        }
        drop.forEach(ds::remove);
    }
}
