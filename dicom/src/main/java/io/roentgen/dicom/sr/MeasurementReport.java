package io.roentgen.dicom.sr;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.roentgen.dicom.DataDictionary;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.VR;

/**
 * Builds a DICOM Structured Report of classification results: TID 1500 "Imaging Measurement
 * Report" in a Comprehensive 3D SR (or Comprehensive SR) document. The root holds the language,
 * the observation context naming the algorithm as a device observer, the procedure reported, an
 * image library of the source instances, and one TID 1501 measurement group per instance with the
 * finding as CODE, the probability as NUM (UCUM "1"), the algorithm (TID 4019) and the source image.
 * The patient and study modules are copied from a source instance; Current Requested Procedure
 * Evidence lists every source instance; series and instance UIDs are new.
 */
public final class MeasurementReport {
    public static final String COMPREHENSIVE_3D_SR = "1.2.840.10008.5.1.4.1.1.88.34";
    public static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";

    private static final Code IMAGING_MEASUREMENT_REPORT = new Code("126000", "DCM", "Imaging Measurement Report");
    private static final Code LANGUAGE = new Code("121049", "DCM", "Language of Content Item and Descendants");
    private static final Code ENGLISH = new Code("en-US", "RFC5646", "English (United States)");
    private static final Code OBSERVER_TYPE = new Code("121005", "DCM", "Observer Type");
    private static final Code DEVICE = new Code("121007", "DCM", "Device");
    private static final Code DEVICE_UID = new Code("121012", "DCM", "Device Observer UID");
    private static final Code DEVICE_NAME = new Code("121013", "DCM", "Device Observer Name");
    private static final Code DEVICE_MANUFACTURER = new Code("121014", "DCM", "Device Observer Manufacturer");
    private static final Code DEVICE_MODEL = new Code("121015", "DCM", "Device Observer Model Name");
    private static final Code PROCEDURE_REPORTED = new Code("121058", "DCM", "Procedure reported");
    private static final Code IMAGING_PROCEDURE = new Code("363679005", "SCT", "Imaging procedure");
    private static final Code IMAGE_LIBRARY = new Code("111028", "DCM", "Image Library");
    private static final Code IMAGE_LIBRARY_GROUP = new Code("126200", "DCM", "Image Library Group");
    private static final Code IMAGING_MEASUREMENTS = new Code("126010", "DCM", "Imaging Measurements");
    private static final Code MEASUREMENT_GROUP = new Code("125007", "DCM", "Measurement Group");
    private static final Code TRACKING_ID = new Code("112039", "DCM", "Tracking Identifier");
    private static final Code TRACKING_UID = new Code("112040", "DCM", "Tracking Unique Identifier");
    private static final Code FINDING = new Code("121071", "DCM", "Finding");
    private static final Code ALGORITHM_NAME = new Code("111001", "DCM", "Algorithm Name");
    private static final Code ALGORITHM_VERSION = new Code("111003", "DCM", "Algorithm Version");
    private static final Code ALGORITHM_PARAMETERS = new Code("111002", "DCM", "Algorithm Parameters");
    private static final Code SOURCE = new Code("260753009", "SCT", "Source");
    private static final Code PROBABILITY = new Code("PROBABILITY", Code.LOCAL_SCHEME, "Probability");
    private static final Code UNITY = new Code("1", "UCUM", "no units");

    /** Attributes of the Patient and General Study modules (and the Patient Study module's common ones), copied from the source. */
    private static final List<String> COPIED = List.of("PatientName", "PatientID", "IssuerOfPatientID", "PatientBirthDate",
            "PatientSex", "PatientAge", "StudyInstanceUID", "StudyDate", "StudyTime", "ReferringPhysicianName", "StudyID",
            "AccessionNumber", "StudyDescription");

    private MeasurementReport() {}

    /**
     * The SR data set.
     *
     * @param source any instance of the study (its patient and study attributes are copied)
     * @param comprehensive3d Comprehensive 3D SR, else Comprehensive SR
     */
    public static DicomObject build(DicomObject source, Algorithm algorithm, List<InstanceFinding> findings,
            boolean comprehensive3d) {
        if (findings.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one finding");
        }
        DicomObject sr = new DicomObject();
        String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd HHmmss", Locale.ROOT));
        String charset = source.getString(tag("SpecificCharacterSet"));
        boolean ascii = java.nio.charset.StandardCharsets.US_ASCII.newEncoder()
                .canEncode(algorithm.name() + algorithm.version() + algorithm.manufacturer());
        if (charset == null && !ascii) {
            charset = "ISO_IR 192"; // the copied values are ASCII (default repertoire); ours are not
        }
        if (charset != null) {
            put(sr, "SpecificCharacterSet", charset);
        }
        put(sr, "InstanceCreationDate", now.substring(0, 8));
        put(sr, "InstanceCreationTime", now.substring(9));
        put(sr, "SOPClassUID", comprehensive3d ? COMPREHENSIVE_3D_SR : COMPREHENSIVE_SR);
        put(sr, "SOPInstanceUID", Uids.generate());
        for (String keyword : COPIED) {
            String value = source.getString(tag(keyword));
            put(sr, keyword, value == null ? "" : value);
        }
        put(sr, "Modality", "SR");
        put(sr, "SeriesInstanceUID", Uids.generate());
        put(sr, "SeriesNumber", "9901");
        put(sr, "SeriesDescription", "AI results: " + algorithm.name());
        sr.putSequence(tag("ReferencedPerformedProcedureStepSequence"), List.of());
        put(sr, "Manufacturer", algorithm.manufacturer());
        put(sr, "ManufacturerModelName", algorithm.name());
        put(sr, "DeviceSerialNumber", algorithm.bundleHash().substring(0, Math.min(16, algorithm.bundleHash().length())));
        put(sr, "SoftwareVersions", algorithm.version());
        put(sr, "InstanceNumber", "1");
        put(sr, "CompletionFlag", "COMPLETE");
        put(sr, "VerificationFlag", "UNVERIFIED");
        put(sr, "ContentDate", now.substring(0, 8));
        put(sr, "ContentTime", now.substring(9));
        sr.putSequence(tag("PerformedProcedureCodeSequence"), List.of());
        sr.putSequence(tag("CurrentRequestedProcedureEvidenceSequence"), List.of(evidence(source, findings)));
        put(sr, "ValueType", "CONTAINER");
        sr.putSequence(tag("ConceptNameCodeSequence"), List.of(code(IMAGING_MEASUREMENT_REPORT)));
        put(sr, "ContinuityOfContent", "SEPARATE");
        DicomObject template = new DicomObject();
        put(template, "MappingResource", "DCMR");
        put(template, "TemplateIdentifier", "1500");
        sr.putSequence(tag("ContentTemplateSequence"), List.of(template));
        sr.putSequence(tag("ContentSequence"), rootContent(algorithm, findings));
        return sr;
    }

    private static List<DicomObject> rootContent(Algorithm algorithm, List<InstanceFinding> findings) {
        List<DicomObject> items = new ArrayList<>();
        items.add(codeItem("HAS CONCEPT MOD", LANGUAGE, ENGLISH));
        items.add(codeItem("HAS OBS CONTEXT", OBSERVER_TYPE, DEVICE));
        items.add(uidItem("HAS OBS CONTEXT", DEVICE_UID, Uids.fromUuid(java.util.UUID.nameUUIDFromBytes(
                (algorithm.name() + "/" + algorithm.version() + "/" + algorithm.bundleHash()).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)))));
        items.add(textItem("HAS OBS CONTEXT", DEVICE_NAME, algorithm.name()));
        items.add(textItem("HAS OBS CONTEXT", DEVICE_MANUFACTURER, algorithm.manufacturer()));
        items.add(textItem("HAS OBS CONTEXT", DEVICE_MODEL, algorithm.name() + " " + algorithm.version()));
        items.add(codeItem("HAS CONCEPT MOD", PROCEDURE_REPORTED, IMAGING_PROCEDURE));
        List<DicomObject> library = new ArrayList<>();
        for (InstanceFinding f : findings) {
            library.add(imageItem("CONTAINS", null, f));
        }
        DicomObject group = container("CONTAINS", IMAGE_LIBRARY_GROUP, library);
        items.add(container("CONTAINS", IMAGE_LIBRARY, List.of(group)));
        List<DicomObject> groups = new ArrayList<>();
        int n = 0;
        for (InstanceFinding f : findings) {
            groups.add(measurementGroup(++n, algorithm, f));
        }
        items.add(container("CONTAINS", IMAGING_MEASUREMENTS, groups));
        return items;
    }

    /** TID 1501 for one instance. */
    private static DicomObject measurementGroup(int n, Algorithm algorithm, InstanceFinding f) {
        List<DicomObject> items = new ArrayList<>();
        items.add(textItem("HAS OBS CONTEXT", TRACKING_ID, "AI finding " + n));
        items.add(uidItem("HAS OBS CONTEXT", TRACKING_UID, Uids.generate()));
        items.add(codeItem("CONTAINS", FINDING, f.finding()));
        items.add(imageItem("CONTAINS", SOURCE, f));
        items.addAll(algorithmIdentification(algorithm));
        DicomObject num = item("CONTAINS", "NUM", PROBABILITY);
        DicomObject value = new DicomObject();
        put(value, "NumericValue", decimal(f.probability()));
        value.putSequence(tag("MeasurementUnitsCodeSequence"), List.of(code(UNITY)));
        num.putSequence(tag("MeasuredValueSequence"), List.of(value));
        num.putSequence(tag("ContentSequence"), algorithmIdentification(algorithm));
        items.add(num);
        return container("CONTAINS", MEASUREMENT_GROUP, items);
    }

    /** TID 4019: name, version, and the bundle's hash as its parameter. */
    private static List<DicomObject> algorithmIdentification(Algorithm algorithm) {
        return List.of(textItem("HAS CONCEPT MOD", ALGORITHM_NAME, algorithm.name()),
                textItem("HAS CONCEPT MOD", ALGORITHM_VERSION, algorithm.version()),
                textItem("HAS CONCEPT MOD", ALGORITHM_PARAMETERS, "bundle sha256 " + algorithm.bundleHash()));
    }

    private static DicomObject evidence(DicomObject source, List<InstanceFinding> findings) {
        Map<String, List<DicomObject>> bySeries = new LinkedHashMap<>();
        for (InstanceFinding f : findings) {
            DicomObject ref = new DicomObject();
            put(ref, "ReferencedSOPClassUID", f.sopClassUid());
            put(ref, "ReferencedSOPInstanceUID", f.sopInstanceUid());
            bySeries.computeIfAbsent(f.seriesInstanceUid(), k -> new ArrayList<>()).add(ref);
        }
        List<DicomObject> series = new ArrayList<>();
        bySeries.forEach((uid, refs) -> {
            DicomObject s = new DicomObject();
            put(s, "SeriesInstanceUID", uid);
            s.putSequence(tag("ReferencedSOPSequence"), refs);
            series.add(s);
        });
        DicomObject study = new DicomObject();
        put(study, "StudyInstanceUID", source.getString(tag("StudyInstanceUID")));
        study.putSequence(tag("ReferencedSeriesSequence"), series);
        return study;
    }

    // ------------------------------------------------------------------ content items

    private static DicomObject item(String relationship, String valueType, Code name) {
        DicomObject item = new DicomObject();
        put(item, "RelationshipType", relationship);
        put(item, "ValueType", valueType);
        if (name != null) {
            item.putSequence(tag("ConceptNameCodeSequence"), List.of(code(name)));
        }
        return item;
    }

    private static DicomObject container(String relationship, Code name, List<DicomObject> children) {
        DicomObject item = item(relationship, "CONTAINER", name);
        put(item, "ContinuityOfContent", "SEPARATE");
        item.putSequence(tag("ContentSequence"), children);
        return item;
    }

    private static DicomObject codeItem(String relationship, Code name, Code value) {
        DicomObject item = item(relationship, "CODE", name);
        item.putSequence(tag("ConceptCodeSequence"), List.of(code(value)));
        return item;
    }

    private static DicomObject textItem(String relationship, Code name, String value) {
        DicomObject item = item(relationship, "TEXT", name);
        put(item, "TextValue", value);
        return item;
    }

    private static DicomObject uidItem(String relationship, Code name, String uid) {
        DicomObject item = item(relationship, "UIDREF", name);
        put(item, "UID", uid);
        return item;
    }

    private static DicomObject imageItem(String relationship, Code name, InstanceFinding f) {
        DicomObject item = item(relationship, "IMAGE", name);
        DicomObject ref = new DicomObject();
        put(ref, "ReferencedSOPClassUID", f.sopClassUid());
        put(ref, "ReferencedSOPInstanceUID", f.sopInstanceUid());
        item.putSequence(tag("ReferencedSOPSequence"), List.of(ref));
        return item;
    }

    static DicomObject code(Code c) {
        DicomObject item = new DicomObject();
        put(item, "CodeValue", c.value());
        put(item, "CodingSchemeDesignator", c.scheme());
        put(item, "CodeMeaning", c.meaning());
        return item;
    }

    /** A DS value of at most 16 characters. */
    private static String decimal(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        return s.length() > 16 ? s.substring(0, 16) : s;
    }

    private static void put(DicomObject obj, String keyword, String value) {
        int tag = tag(keyword);
        obj.putString(tag, DataDictionary.vr(tag), value);
    }

    private static int tag(String keyword) {
        Integer tag = DataDictionary.tagForKeyword(keyword);
        if (tag == null) {
            throw new IllegalStateException("no attribute " + keyword + " in the dictionary");
        }
        return tag;
    }
}
