package io.roentgen.models.explain;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.sr.Code;
import io.roentgen.dicom.sr.Codes;
import io.roentgen.models.ModelCard;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An explanation as a DICOM Segmentation (PS3.3 A.51): FRACTIONAL, PROBABILITY, one frame on the
 * source frame's pixel grid (the map carried back through the preprocessing by {@link SourceGrid}),
 * one segment for the explained class, coded with the caller's code (the bundle's, else the local
 * scheme, as the SR). The source instance is referenced three ways: Referenced Series Sequence,
 * and the frame's Derivation Image Sequence with its Source Image Sequence. Frame of Reference and
 * plane position/orientation are copied where the source has them (a CT slice); a source without
 * them (a radiograph) gets a SEG without them, its pixels corresponding to the source's.
 */
public final class ProbabilitySegmentation {
    public static final String SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";
    /** The largest stored value: a probability of 1. */
    public static final int MAXIMUM = 255;
    private static final Code FINDING = new Code("404684003", "SCT", "Finding");
    private static final Code SOURCE_FOR_PROCESSING = new Code("121322", "DCM", "Source image for image processing operation");
    private static final Code SEGMENTATION = new Code("113076", "DCM", "Segmentation");
    private static final int[] PATIENT_AND_STUDY = {Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex,
        Tag.StudyInstanceUID, Tag.StudyDate, Tag.StudyTime, Tag.ReferringPhysicianName, Tag.StudyID, Tag.AccessionNumber};

    private ProbabilitySegmentation() {}

    /** The SEG data set for {@code e}, computed on {@code source}'s first frame with {@code spec}; {@code classCode} codes the segment. */
    public static DicomObject of(DicomObject source, Explanation e, PreprocessingSpec spec, ModelCard card, Code classCode) {
        int rows = source.getInt(Tag.Rows, 0);
        int columns = source.getInt(Tag.Columns, 0);
        float[] map = SourceGrid.toSource(e.map(), e.height(), e.width(), spec, rows, columns);
        boolean spatial = hasPlane(source);
        DicomObject seg = new DicomObject();
        header(seg, source, e, card, spatial);
        seg.putSequence(SegTags.SEGMENT_SEQUENCE, segment(e, card, classCode));
        if (classCode.scheme().equals(Codes.LOCAL_SCHEME)) {
            seg.putSequence(SegTags.CODING_SCHEME_IDENTIFICATION_SEQUENCE, localScheme());
        }
        dimensions(seg, spatial);
        seg.putSequence(SegTags.SHARED_FUNCTIONAL_GROUPS, shared(source, spatial));
        seg.putSequence(SegTags.PER_FRAME_FUNCTIONAL_GROUPS, perFrame(source, spatial));
        DicomObject instance = reference(source);
        DicomObject series = new DicomObject();
        series.putString(Tag.SeriesInstanceUID, VR.UI, source.getString(Tag.SeriesInstanceUID, ""));
        series.putSequence(SegTags.REFERENCED_INSTANCE_SEQUENCE, instance);
        seg.putSequence(SegTags.REFERENCED_SERIES_SEQUENCE, series);
        pixels(seg, map, rows, columns);
        return seg;
    }

    /** The stored value of a probability: {@code round(p * 255)}, so a reader gets p back within 1/510. */
    public static int stored(float p) {
        return Math.round(Math.max(0, Math.min(1, p)) * MAXIMUM);
    }

    private static void header(DicomObject seg, DicomObject source, Explanation e, ModelCard card, boolean spatial) {
        seg.putString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        seg.putString(Tag.ImageType, VR.CS, "DERIVED", "PRIMARY");
        seg.putString(Tag.SOPClassUID, VR.UI, SOP_CLASS);
        seg.putString(Tag.SOPInstanceUID, VR.UI, Uids.generate());
        LocalDateTime now = LocalDateTime.now();
        String date = now.format(DateTimeFormatter.BASIC_ISO_DATE);
        String time = now.format(DateTimeFormatter.ofPattern("HHmmss"));
        seg.putString(Tag.SeriesDate, VR.DA, date);
        seg.putString(Tag.SeriesTime, VR.TM, time);
        seg.putString(Tag.ContentDate, VR.DA, date);
        seg.putString(Tag.ContentTime, VR.TM, time);
        for (int tag : PATIENT_AND_STUDY) {
            seg.putString(tag, source.getString(tag, ""));
        }
        seg.putString(Tag.Modality, VR.CS, "SEG");
        seg.putString(Tag.Manufacturer, VR.LO, "ROENTGEN");
        seg.putString(SegTags.MANUFACTURER_MODEL_NAME, VR.LO, card.name());
        seg.putString(SegTags.DEVICE_SERIAL_NUMBER, VR.LO, "0");
        seg.putString(SegTags.SOFTWARE_VERSIONS, VR.LO, card.version());
        seg.putString(Tag.SeriesInstanceUID, VR.UI, Uids.generate());
        seg.putString(Tag.SeriesNumber, VR.IS, "9902");
        seg.putString(Tag.SeriesDescription, VR.LO, "Explanation " + e.method().id() + " " + e.label()
                + " (" + SecondaryCapture.BANNER + ")");
        seg.putString(Tag.InstanceNumber, VR.IS, "1");
        if (!spatial) {
            seg.putString(Tag.PatientOrientation, VR.CS); // type 2C: required without Image Orientation (Patient)
        }
        if (spatial) {
            seg.putString(Tag.FrameOfReferenceUID, VR.UI, source.getString(Tag.FrameOfReferenceUID));
            seg.putString(SegTags.POSITION_REFERENCE_INDICATOR, VR.LO, source.getString(SegTags.POSITION_REFERENCE_INDICATOR, ""));
        }
        seg.putString(SegTags.CONTENT_LABEL, VR.CS, e.method().id().toUpperCase(Locale.ROOT).replace("+", "P"));
        seg.putString(SegTags.CONTENT_DESCRIPTION, VR.LO, SecondaryCapture.BANNER);
        seg.putString(SegTags.CONTENT_CREATOR_NAME, VR.PN);
        seg.putString(SegTags.SEGMENTATION_TYPE, VR.CS, "FRACTIONAL");
        seg.putString(SegTags.SEGMENTATION_FRACTIONAL_TYPE, VR.CS, "PROBABILITY");
        seg.putInts(SegTags.MAXIMUM_FRACTIONAL_VALUE, VR.US, MAXIMUM);
        seg.putString(SegTags.LOSSY_IMAGE_COMPRESSION, VR.CS, "00");
        seg.putString(Tag.DerivationDescription, VR.ST, String.format(Locale.ROOT, "%s of class %s at layer %s, model %s %s",
                e.method().id(), e.label(), e.layer(), card.name(), card.version()));
    }

    private static DicomObject segment(Explanation e, ModelCard card, Code classCode) {
        DicomObject s = new DicomObject();
        s.putInts(SegTags.SEGMENT_NUMBER, VR.US, 1);
        s.putString(SegTags.SEGMENT_LABEL, VR.LO, e.label());
        s.putString(SegTags.SEGMENT_ALGORITHM_TYPE, VR.CS, "AUTOMATIC");
        s.putString(SegTags.SEGMENT_ALGORITHM_NAME, VR.LO, card.name() + " " + e.method().id());
        s.putSequence(SegTags.SEGMENTED_PROPERTY_CATEGORY, code(FINDING));
        s.putSequence(SegTags.SEGMENTED_PROPERTY_TYPE, code(classCode));
        return s;
    }

    /** Frames are indexed by segment number and, with a Frame of Reference, by position. */
    private static void dimensions(DicomObject seg, boolean spatial) {
        String uid = Uids.generate();
        DicomObject organization = new DicomObject();
        organization.putString(SegTags.DIMENSION_ORGANIZATION_UID, VR.UI, uid);
        seg.putSequence(SegTags.DIMENSION_ORGANIZATION_SEQUENCE, organization);
        List<DicomObject> indices = new ArrayList<>();
        indices.add(index(uid, SegTags.REFERENCED_SEGMENT_NUMBER, SegTags.SEGMENT_IDENTIFICATION_SEQUENCE, "Segment"));
        if (spatial) {
            indices.add(index(uid, Tag.ImagePositionPatient, SegTags.PLANE_POSITION_SEQUENCE, "Position"));
        }
        seg.putSequence(SegTags.DIMENSION_INDEX_SEQUENCE, indices);
        seg.putString(Tag.NumberOfFrames, VR.IS, "1");
    }

    private static DicomObject index(String organization, int pointer, int group, String label) {
        DicomObject d = new DicomObject();
        d.putString(SegTags.DIMENSION_ORGANIZATION_UID, VR.UI, organization);
        d.putInts(SegTags.DIMENSION_INDEX_POINTER, VR.AT, pointer);
        d.putInts(SegTags.FUNCTIONAL_GROUP_POINTER, VR.AT, group);
        d.putString(SegTags.DIMENSION_DESCRIPTION_LABEL, VR.LO, label);
        return d;
    }

    private static DicomObject shared(DicomObject source, boolean spatial) {
        DicomObject shared = new DicomObject();
        if (spatial) {
            DicomObject measures = new DicomObject();
            measures.putString(Tag.PixelSpacing, VR.DS, source.getStrings(Tag.PixelSpacing));
            measures.putString(Tag.SliceThickness, VR.DS, source.getString(Tag.SliceThickness, "1"));
            shared.putSequence(SegTags.PIXEL_MEASURES_SEQUENCE, measures);
            DicomObject orientation = new DicomObject();
            orientation.putString(Tag.ImageOrientationPatient, VR.DS, source.getStrings(Tag.ImageOrientationPatient));
            shared.putSequence(SegTags.PLANE_ORIENTATION_SEQUENCE, orientation);
        }
        return shared;
    }

    private static DicomObject perFrame(DicomObject source, boolean spatial) {
        DicomObject frame = new DicomObject();
        DicomObject content = new DicomObject();
        content.putInts(SegTags.DIMENSION_INDEX_VALUES, VR.UL, spatial ? new int[] {1, 1} : new int[] {1});
        frame.putSequence(SegTags.FRAME_CONTENT_SEQUENCE, content);
        if (spatial) {
            DicomObject position = new DicomObject();
            position.putString(Tag.ImagePositionPatient, VR.DS, source.getStrings(Tag.ImagePositionPatient));
            frame.putSequence(SegTags.PLANE_POSITION_SEQUENCE, position);
        }
        DicomObject image = reference(source);
        image.putSequence(SegTags.PURPOSE_OF_REFERENCE_CODE_SEQUENCE, code(SOURCE_FOR_PROCESSING));
        DicomObject derivation = new DicomObject();
        derivation.putSequence(SegTags.SOURCE_IMAGE_SEQUENCE, image);
        derivation.putSequence(SegTags.DERIVATION_CODE_SEQUENCE, code(SEGMENTATION));
        frame.putSequence(SegTags.DERIVATION_IMAGE_SEQUENCE, derivation);
        DicomObject segment = new DicomObject();
        segment.putInts(SegTags.REFERENCED_SEGMENT_NUMBER, VR.US, 1);
        frame.putSequence(SegTags.SEGMENT_IDENTIFICATION_SEQUENCE, segment);
        return frame;
    }

    /** The source instance (its first frame, for a multi-frame source). */
    private static DicomObject reference(DicomObject source) {
        DicomObject r = new DicomObject();
        r.putString(Tag.ReferencedSOPClassUID, VR.UI, source.getString(Tag.SOPClassUID, ""));
        r.putString(Tag.ReferencedSOPInstanceUID, VR.UI, source.getString(Tag.SOPInstanceUID, ""));
        if (source.getInt(Tag.NumberOfFrames, 1) > 1) {
            r.putString(SegTags.REFERENCED_FRAME_NUMBER, VR.IS, "1");
        }
        return r;
    }

    /** Declares the local scheme the segment's code is in, as the SR does. */
    private static DicomObject localScheme() {
        DicomObject scheme = new DicomObject();
        scheme.putString(Tag.CodingSchemeDesignator, VR.SH, Codes.LOCAL_SCHEME);
        scheme.putString(SegTags.CODING_SCHEME_NAME, VR.ST, "Roentgen model labels");
        return scheme;
    }

    private static boolean hasPlane(DicomObject source) {
        return source.contains(Tag.FrameOfReferenceUID) && source.getStrings(Tag.ImagePositionPatient).length == 3
                && source.getStrings(Tag.ImageOrientationPatient).length == 6 && source.getStrings(Tag.PixelSpacing).length == 2;
    }

    private static DicomObject code(Code code) {
        DicomObject item = new DicomObject();
        if (code.value().length() > 16) {
            item.putString(SegTags.LONG_CODE_VALUE, VR.UC, code.value());
        } else {
            item.putString(Tag.CodeValue, VR.SH, code.value());
        }
        item.putString(Tag.CodingSchemeDesignator, VR.SH, code.scheme());
        item.putString(Tag.CodeMeaning, VR.LO, code.meaning());
        return item;
    }

    private static void pixels(DicomObject seg, float[] map, int rows, int columns) {
        byte[] stored = new byte[(rows * columns + 1) & ~1]; // even length: a pad byte for an odd count
        for (int i = 0; i < map.length; i++) {
            stored[i] = (byte) stored(map[i]);
        }
        seg.putInts(Tag.SamplesPerPixel, VR.US, 1);
        seg.putString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        seg.putInts(Tag.Rows, VR.US, rows);
        seg.putInts(Tag.Columns, VR.US, columns);
        seg.putInts(Tag.BitsAllocated, VR.US, 8);
        seg.putInts(Tag.BitsStored, VR.US, 8);
        seg.putInts(Tag.HighBit, VR.US, 7);
        seg.putInts(Tag.PixelRepresentation, VR.US, 0);
        seg.putPixelData(VR.OB, stored);
    }
}
