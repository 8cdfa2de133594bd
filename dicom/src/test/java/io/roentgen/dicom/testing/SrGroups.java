package io.roentgen.dicom.testing;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads back what a TID 1500 report says: its measurement groups, each as finding, probability and
 * referenced instances, found by concept names (not by position), as a PACS viewer would.
 */
public final class SrGroups {
    private static final int CONTENT_SEQUENCE = 0x0040A730;
    private static final int CONCEPT_NAME = 0x0040A043;
    private static final int CONCEPT_CODE = 0x0040A168;
    private static final int MEASURED_VALUE = 0x0040A300;
    private static final int NUMERIC_VALUE = 0x0040A30A;
    private static final int UNITS = 0x004008EA;
    private static final int REFERENCED_SOP = 0x00081199;
    private static final int VALUE_TYPE = 0x0040A040;
    private static final int TEXT_VALUE = 0x0040A160;

    private SrGroups() {}

    /** One measurement group: finding code "value^scheme", probability, its unit code, image references, algorithm texts. */
    public record Group(String finding, double probability, String unit, List<String> images, List<String> algorithm) {}

    public static List<Group> read(DicomObject sr) {
        List<Group> groups = new ArrayList<>();
        for (DicomObject container : children(sr, "126010")) {
            for (DicomObject group : children(container, "125007")) {
                groups.add(group(group));
            }
        }
        return groups;
    }

    private static Group group(DicomObject group) {
        String finding = null;
        double probability = Double.NaN;
        String unit = null;
        List<String> images = new ArrayList<>();
        List<String> algorithm = new ArrayList<>();
        for (DicomObject item : group.getSequence(CONTENT_SEQUENCE)) {
            String name = conceptName(item);
            String type = item.getString(VALUE_TYPE);
            if ("121071".equals(name)) {
                finding = code(item.getSequence(CONCEPT_CODE).get(0));
            } else if ("NUM".equals(type)) {
                DicomObject measured = item.getSequence(MEASURED_VALUE).get(0);
                probability = Double.parseDouble(measured.getString(NUMERIC_VALUE).strip());
                unit = code(measured.getSequence(UNITS).get(0));
            } else if ("IMAGE".equals(type)) {
                images.add(item.getSequence(REFERENCED_SOP).get(0).getString(Tag.ReferencedSOPInstanceUID));
            } else if (name != null && name.startsWith("11100")) {
                algorithm.add(name + "=" + item.getString(TEXT_VALUE));
            }
        }
        return new Group(finding, probability, unit, images, algorithm);
    }

    /** The content items directly under {@code parent} whose concept name has this code value. */
    public static List<DicomObject> children(DicomObject parent, String codeValue) {
        List<DicomObject> out = new ArrayList<>();
        for (DicomObject item : parent.getSequence(CONTENT_SEQUENCE)) {
            if (codeValue.equals(conceptName(item))) {
                out.add(item);
            }
        }
        return out;
    }

    private static String conceptName(DicomObject item) {
        List<DicomObject> name = item.getSequence(CONCEPT_NAME);
        return name.isEmpty() ? null : codeValue(name.get(0));
    }

    private static String code(DicomObject code) {
        return codeValue(code) + "^" + code.getString(Tag.CodingSchemeDesignator);
    }

    private static String codeValue(DicomObject code) {
        String v = code.getString(Tag.CodeValue);
        return v != null ? v : code.getString(0x00080119);
    }
}
