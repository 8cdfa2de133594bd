package io.roentgen.models.explain;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.image.FloatImage;
import java.util.Locale;

/** The DICOM objects an explanation can travel to a PACS as. */
public enum ExplanationDicom {
    /** A Secondary Capture: the RGB overlay, banner burned in. */
    SC,
    /** A Segmentation, FRACTIONAL / PROBABILITY, on the source frame's grid. */
    SEG;

    /**
     * Every attribute of a source that an SC or SEG copies or references (patient, study, series
     * and instance UIDs, geometry), without its pixels: what a queued explanation keeps of the
     * instance instead of the whole data set.
     */
    private static final int[] HEADER = {Tag.SpecificCharacterSet, Tag.SOPClassUID, Tag.SOPInstanceUID,
        Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex, Tag.StudyInstanceUID, Tag.StudyDate,
        Tag.StudyTime, Tag.ReferringPhysicianName, Tag.StudyID, Tag.AccessionNumber, Tag.SeriesInstanceUID,
        Tag.Laterality, Tag.Rows, Tag.Columns, Tag.NumberOfFrames, Tag.FrameOfReferenceUID, SegTags.POSITION_REFERENCE_INDICATOR,
        Tag.ImagePositionPatient, Tag.ImageOrientationPatient, Tag.PixelSpacing, Tag.SliceThickness};

    /** The attributes of {@code source} an SC or SEG needs (see {@link #HEADER}), in a new data set. */
    public static DicomObject header(DicomObject source) {
        DicomObject header = new DicomObject();
        for (int tag : HEADER) {
            if (source.contains(tag)) {
                header.putString(tag, source.vr(tag), source.getStrings(tag));
            }
        }
        return header;
    }

    /** {@code sc} or {@code seg} (any case). */
    public static ExplanationDicom parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DICOM explanation must be sc or seg, not '" + text + "'");
        }
    }

    /** The file suffix: {@code .sc.dcm} or {@code .seg.dcm}. */
    public String suffix() {
        return "." + name().toLowerCase(Locale.ROOT) + ".dcm";
    }

    /** The data set for {@code e} of {@code image}, prepared from {@code source} by {@code explainer}. */
    public DicomObject of(DicomObject source, FloatImage image, Explanation e, Explainer explainer) {
        return switch (this) {
            case SC -> SecondaryCapture.of(source, image, e, explainer.card());
            case SEG -> ProbabilitySegmentation.of(source, e, explainer.preprocessing(), explainer.card(),
                    explainer.codes().code(e.label()));
        };
    }
}
