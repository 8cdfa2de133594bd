package io.roentgen.dicom;

import com.google.gson.GsonBuilder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code roentgen dicom info} prints about one instance. The Patient ID is a patient
 * identifier: it is here so the CLI can print it when asked, but {@link #toString()},
 * {@link #toJson()} and {@link #toMap()} leave it out; never log it.
 *
 * @param patientId           (0010,0020), or null; never log it
 * @param studyInstanceUid    (0020,000D)
 * @param seriesInstanceUid   (0020,000E)
 * @param sopInstanceUid      (0008,0018)
 * @param modality            (0008,0060)
 * @param sopClassUid         (0008,0016), or the Media Storage SOP Class UID
 * @param sopClassName        e.g. "CTImageStorage", or null when not a known UID
 * @param rows                (0028,0010), 0 when absent
 * @param columns             (0028,0011), 0 when absent
 * @param frames              (0028,0008), 1 when absent (0 when there is no image)
 * @param transferSyntaxUid   the syntax the data set was read in
 * @param transferSyntaxName  its PS3.6 name
 * @param photometricInterpretation (0028,0004), or null
 * @param samplesPerPixel     (0028,0002), 0 when absent
 * @param bitsAllocated       (0028,0100), 0 when absent
 * @param bitsStored          (0028,0101), 0 when absent
 * @param signed              (0028,0103) == 1
 * @param windowCenter        (0028,1050), all values (empty when absent)
 * @param windowWidth         (0028,1051), all values (empty when absent)
 * @param rescaleSlope        (0028,1053), or null
 * @param rescaleIntercept    (0028,1052), or null
 * @param pixelData           "native", "encapsulated", "not read" (header-only read) or "none"
 */
public record DicomSummary(
        String patientId,
        String studyInstanceUid,
        String seriesInstanceUid,
        String sopInstanceUid,
        String modality,
        String sopClassUid,
        String sopClassName,
        int rows,
        int columns,
        int frames,
        String transferSyntaxUid,
        String transferSyntaxName,
        String photometricInterpretation,
        int samplesPerPixel,
        int bitsAllocated,
        int bitsStored,
        boolean signed,
        List<Double> windowCenter,
        List<Double> windowWidth,
        Double rescaleSlope,
        Double rescaleIntercept,
        String pixelData) {

    /** The summary of a data set as read by {@link DicomReader}. */
    public static DicomSummary of(DicomObject ds) {
        String sopClass = ds.getString(Tag.SOPClassUID);
        if (sopClass == null && ds.fileMeta() != null) {
            sopClass = ds.fileMeta().getString(Tag.MediaStorageSOPClassUID);
        }
        TransferSyntax ts = ds.transferSyntax();
        boolean image = ds.contains(Tag.Rows) || ds.contains(Tag.PixelData);
        String pixelData = ds.hasEncapsulatedPixelData() ? "encapsulated"
                : ds.contains(Tag.PixelData) || ds.contains(Tag.FloatPixelData) || ds.contains(Tag.DoubleFloatPixelData)
                ? "native" : ds.stoppedBeforePixelData() ? "not read" : "none";
        return new DicomSummary(
                ds.getString(Tag.PatientID),
                ds.getString(Tag.StudyInstanceUID),
                ds.getString(Tag.SeriesInstanceUID),
                ds.getString(Tag.SOPInstanceUID),
                ds.getString(Tag.Modality),
                sopClass,
                Uids.nameOf(sopClass),
                ds.getInt(Tag.Rows, 0),
                ds.getInt(Tag.Columns, 0),
                image ? Math.max(1, ds.getInt(Tag.NumberOfFrames, 1)) : 0,
                ts.uid(),
                ts.name(),
                ds.getString(Tag.PhotometricInterpretation),
                ds.getInt(Tag.SamplesPerPixel, 0),
                ds.getInt(Tag.BitsAllocated, 0),
                ds.getInt(Tag.BitsStored, 0),
                ds.getInt(Tag.PixelRepresentation, 0) == 1,
                list(ds.getDoubles(Tag.WindowCenter)),
                list(ds.getDoubles(Tag.WindowWidth)),
                ds.contains(Tag.RescaleSlope) && ds.getDoubles(Tag.RescaleSlope).length > 0
                        ? ds.getDouble(Tag.RescaleSlope, 1) : null,
                ds.contains(Tag.RescaleIntercept) && ds.getDoubles(Tag.RescaleIntercept).length > 0
                        ? ds.getDouble(Tag.RescaleIntercept, 0) : null,
                pixelData);
    }

    private static List<Double> list(double[] values) {
        List<Double> l = new ArrayList<>(values.length);
        for (double v : values) {
            l.add(v);
        }
        return Collections.unmodifiableList(l);
    }

    /** The fields by name in declaration order, without the Patient ID. */
    public Map<String, Object> toMap() {
        return toMap(false);
    }

    /** The fields by name in declaration order; {@code patientId} only when asked for. Null values are left out. */
    public Map<String, Object> toMap(boolean includePatientId) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (includePatientId) {
            put(m, "patientId", patientId);
        }
        put(m, "studyInstanceUid", studyInstanceUid);
        put(m, "seriesInstanceUid", seriesInstanceUid);
        put(m, "sopInstanceUid", sopInstanceUid);
        put(m, "modality", modality);
        put(m, "sopClassUid", sopClassUid);
        put(m, "sopClassName", sopClassName);
        m.put("rows", rows);
        m.put("columns", columns);
        m.put("frames", frames);
        put(m, "transferSyntaxUid", transferSyntaxUid);
        put(m, "transferSyntaxName", transferSyntaxName);
        put(m, "photometricInterpretation", photometricInterpretation);
        m.put("samplesPerPixel", samplesPerPixel);
        m.put("bitsAllocated", bitsAllocated);
        m.put("bitsStored", bitsStored);
        m.put("signed", signed);
        m.put("windowCenter", windowCenter);
        m.put("windowWidth", windowWidth);
        put(m, "rescaleSlope", rescaleSlope);
        put(m, "rescaleIntercept", rescaleIntercept);
        put(m, "pixelData", pixelData);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** Pretty-printed JSON of {@link #toMap()}: no Patient ID. */
    public String toJson() {
        return toJson(false);
    }

    /** Pretty-printed JSON; the Patient ID only when asked for. */
    public String toJson(boolean includePatientId) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .create().toJson(toMap(includePatientId));
    }

    /** Without the Patient ID, so a summary can be logged. */
    @Override
    public String toString() {
        return "DicomSummary" + toMap(false);
    }
}
