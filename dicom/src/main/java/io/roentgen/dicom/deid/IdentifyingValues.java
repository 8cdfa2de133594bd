package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomElement;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The text values the profile removes or replaces, gathered from the whole data set before it
 * changes: these are what a cleaned descriptor must not repeat (see {@link TextCleaner}).
 */
final class IdentifyingValues {
    private IdentifyingValues() {}

    static Set<String> collect(DicomObject ds, ProfileTable table, Set<DeidOption> options) {
        Set<String> values = new LinkedHashSet<>();
        gather(ds, table, options, values);
        return values;
    }

    private static void gather(DicomObject ds, ProfileTable table, Set<DeidOption> options, Set<String> values) {
        for (DicomElement e : ds) {
            if (e.isSequence()) {
                for (DicomObject item : e.items()) {
                    gather(item, table, options, values);
                }
                continue;
            }
            if (!e.vr().isText() || e.vr() == VR.UI || Tag.isPrivate(e.tag())) {
                continue;
            }
            ProfileRule rule = table.rule(e.tag());
            if (rule == null) {
                continue;
            }
            String action = ProfileWalker.resolve(rule.action(options));
            if (action.equals("X") || action.equals("Z") || action.equals("D")) {
                for (String v : e.getStrings()) {
                    if (v != null && !v.isBlank()) {
                        values.add(v);
                    }
                }
            }
        }
    }
}
