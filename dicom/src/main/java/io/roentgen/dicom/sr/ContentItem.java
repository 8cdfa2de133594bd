package io.roentgen.dicom.sr;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;

import java.util.List;

/**
 * Builds SR content items (PS3.3 C.17.3): each a Content Sequence item with its relationship,
 * value type, concept name and value. Static helpers, because an item is only a data set.
 */
final class ContentItem {
    private ContentItem() {}

    static final String CONTAINS = "CONTAINS";
    static final String HAS_OBS_CONTEXT = "HAS OBS CONTEXT";
    static final String HAS_CONCEPT_MOD = "HAS CONCEPT MOD";

    /** A Code Sequence item; a value longer than 16 characters goes to Long Code Value. */
    static DicomObject code(Code code) {
        DicomObject item = new DicomObject();
        if (code.value().length() > Code.MAX_SHORT_VALUE) {
            item.putString(SrTags.LongCodeValue, VR.UC, code.value());
        } else {
            item.putString(Tag.CodeValue, VR.SH, code.value());
        }
        item.putString(Tag.CodingSchemeDesignator, VR.SH, code.scheme());
        item.putString(Tag.CodeMeaning, VR.LO, code.meaning());
        return item;
    }

    static DicomObject container(String relationship, Code name, String templateId, List<DicomObject> children) {
        DicomObject item = named(relationship, "CONTAINER", name);
        item.putString(SrTags.ContinuityOfContent, VR.CS, "SEPARATE");
        if (templateId != null) {
            item.putSequence(SrTags.ContentTemplateSequence, template(templateId));
        }
        item.putSequence(SrTags.ContentSequence, children);
        return item;
    }

    /** The Content Template Sequence item of a DCMR template. */
    static DicomObject template(String templateId) {
        DicomObject t = new DicomObject();
        t.putString(SrTags.MappingResource, VR.CS, "DCMR");
        t.putString(SrTags.TemplateIdentifier, VR.CS, templateId);
        return t;
    }

    static DicomObject codeValue(String relationship, Code name, Code value) {
        DicomObject item = named(relationship, "CODE", name);
        item.putSequence(SrTags.ConceptCodeSequence, code(value));
        return item;
    }

    static DicomObject text(String relationship, Code name, String value) {
        DicomObject item = named(relationship, "TEXT", name);
        item.putString(SrTags.TextValue, VR.UT, value);
        return item;
    }

    static DicomObject uidRef(String relationship, Code name, String uid) {
        DicomObject item = named(relationship, "UIDREF", name);
        item.putString(SrTags.UID, VR.UI, uid);
        return item;
    }

    /** A NUM item; the value is written as DS in its shortest exact decimal form (at most 16 characters). */
    static DicomObject num(String relationship, Code name, double value, Code unit) {
        DicomObject measured = new DicomObject();
        measured.putSequence(SrTags.MeasurementUnitsCodeSequence, code(unit));
        measured.putString(SrTags.NumericValue, VR.DS, decimal(value));
        DicomObject item = named(relationship, "NUM", name);
        item.putSequence(SrTags.MeasuredValueSequence, measured);
        return item;
    }

    static DicomObject image(String relationship, Code name, SourceImage image) {
        DicomObject item = named(relationship, "IMAGE", name);
        item.putSequence(SrTags.ReferencedSOPSequence, reference(image));
        return item;
    }

    /** A Referenced SOP Sequence item: class and instance. */
    static DicomObject reference(SourceImage image) {
        DicomObject ref = new DicomObject();
        ref.putString(Tag.ReferencedSOPClassUID, VR.UI, image.sopClassUid());
        ref.putString(Tag.ReferencedSOPInstanceUID, VR.UI, image.sopInstanceUid());
        return ref;
    }

    /**
     * A probability as DS: float precision is all a classifier's softmax carries, and
     * {@link Float#toString} gives the shortest text that reads back the same float (at most 15 characters).
     */
    static String decimal(double value) {
        String s = Float.toString((float) value);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static DicomObject named(String relationship, String valueType, Code name) {
        DicomObject item = new DicomObject();
        if (relationship != null) {
            item.putString(SrTags.RelationshipType, VR.CS, relationship);
        }
        item.putString(SrTags.ValueType, VR.CS, valueType);
        item.putSequence(SrTags.ConceptNameCodeSequence, code(name));
        return item;
    }
}
