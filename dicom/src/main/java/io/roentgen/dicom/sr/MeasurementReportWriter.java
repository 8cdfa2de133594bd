package io.roentgen.dicom.sr;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.VR;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a study's classification as a DICOM Structured Report with TID 1500 "Imaging Measurement
 * Report": language, device observer context, procedure reported, image library (TID 1600), and an
 * Imaging Measurements container of TID 1501 measurement groups, each a finding (CODE), its
 * probability (NUM, UCUM "1"), the algorithm (TID 4019) and the source images. The document
 * copies the Patient and General Study attributes of the source, fills the Current Requested
 * Procedure Evidence Sequence, and gets new Series and SOP Instance UIDs. The layout follows
 * highdicom's {@code MeasurementReport}.
 */
public final class MeasurementReportWriter {
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");
    /** Type 2 attributes of the Patient and General Study modules: present, empty when the source lacks them. */
    private static final int[] TYPE2 = {Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber, Tag.ReferringPhysicianName,
        Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex, SrTags.StudyID};
    static final String MANUFACTURER = "Roentgen";

    private final ReportOptions options;
    private final Clock clock;

    public MeasurementReportWriter(ReportOptions options) {
        this(options, Clock.systemDefaultZone());
    }

    MeasurementReportWriter(ReportOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
    }

    /** The SR document (a data set; write it with {@code DicomWriter}). */
    public DicomObject write(StudyReport report) {
        LocalDateTime now = LocalDateTime.now(clock);
        DicomObject sr = new DicomObject();
        copyPatientAndStudy(report, sr);
        sr.putString(Tag.StudyInstanceUID, VR.UI, report.studyInstanceUid());
        sr.putString(Tag.SOPClassUID, VR.UI, options.srClass().uid());
        sr.putString(Tag.SOPInstanceUID, VR.UI, Uids.generate());
        sr.putString(Tag.InstanceCreationDate, VR.DA, DA.format(now));
        sr.putString(Tag.InstanceCreationTime, VR.TM, TM.format(now));
        series(report, sr);
        equipment(report.algorithm(), sr);
        document(report, sr, now);
        sr.putSequence(SrTags.CodingSchemeIdentificationSequence, localScheme());
        rootContent(report, sr);
        return sr;
    }

    private static void copyPatientAndStudy(StudyReport report, DicomObject sr) {
        DicomObject source = report.images().get(0).source().patientAndStudy();
        for (int tag : SourceImage.COPIED) {
            if (source.contains(tag)) {
                sr.putBytes(tag, source.vr(tag), source.getBytes(tag));
            }
        }
        for (int tag : TYPE2) {
            if (!sr.contains(tag)) {
                sr.putString(tag, new String[0]);
            }
        }
    }

    private void series(StudyReport report, DicomObject sr) {
        sr.putString(Tag.Modality, VR.CS, "SR");
        sr.putString(Tag.SeriesInstanceUID, VR.UI, Uids.generate());
        sr.putString(SrTags.SeriesNumber, VR.IS, Integer.toString(options.seriesNumber()));
        sr.putString(Tag.SeriesDescription, VR.LO, clip("AI results: " + report.algorithm().name(), 64));
        sr.putSequence(SrTags.ReferencedPerformedProcedureStepSequence, List.of());
    }

    private static void equipment(AlgorithmId algorithm, DicomObject sr) {
        sr.putString(Tag.Manufacturer, VR.LO, MANUFACTURER);
        sr.putString(Tag.ManufacturerModelName, VR.LO, clip(algorithm.name(), 64));
        sr.putString(SrTags.DeviceSerialNumber, VR.LO, clip(deviceUid(algorithm), 64));
        sr.putString(SrTags.SoftwareVersions, VR.LO, Uids.IMPLEMENTATION_VERSION_NAME, clip(algorithm.version(), 64));
    }

    private static void document(StudyReport report, DicomObject sr, LocalDateTime now) {
        sr.putString(SrTags.InstanceNumber, VR.IS, "1");
        sr.putString(SrTags.CompletionFlag, VR.CS, "COMPLETE");
        sr.putString(SrTags.VerificationFlag, VR.CS, "UNVERIFIED");
        sr.putString(Tag.ContentDate, VR.DA, DA.format(now));
        sr.putString(Tag.ContentTime, VR.TM, TM.format(now));
        sr.putSequence(SrTags.PerformedProcedureCodeSequence, List.of());
        sr.putSequence(SrTags.CurrentRequestedProcedureEvidenceSequence, evidence(report));
    }

    /** The source images by series, as the Hierarchical SOP Instance Reference Macro lists them. */
    private static DicomObject evidence(StudyReport report) {
        Map<String, List<DicomObject>> bySeries = new LinkedHashMap<>();
        for (SourceImage image : distinctImages(report)) {
            bySeries.computeIfAbsent(image.seriesInstanceUid(), k -> new ArrayList<>()).add(ContentItem.reference(image));
        }
        List<DicomObject> series = new ArrayList<>();
        bySeries.forEach((uid, refs) -> {
            DicomObject s = new DicomObject();
            s.putString(Tag.SeriesInstanceUID, VR.UI, uid);
            s.putSequence(SrTags.ReferencedSOPSequence, refs);
            series.add(s);
        });
        DicomObject study = new DicomObject();
        study.putString(Tag.StudyInstanceUID, VR.UI, report.studyInstanceUid());
        study.putSequence(SrTags.ReferencedSeriesSequence, series);
        return study;
    }

    private static DicomObject localScheme() {
        DicomObject scheme = new DicomObject();
        scheme.putString(Tag.CodingSchemeDesignator, VR.SH, Codes.LOCAL_SCHEME);
        scheme.putString(SrTags.CodingSchemeName, VR.ST, "Roentgen model labels");
        scheme.putString(SrTags.CodingSchemeResponsibleOrganization, VR.ST, MANUFACTURER);
        return scheme;
    }

    private void rootContent(StudyReport report, DicomObject sr) {
        AlgorithmId algorithm = report.algorithm();
        List<DicomObject> content = new ArrayList<>();
        content.add(ContentItem.codeValue(ContentItem.HAS_CONCEPT_MOD, Codes.LANGUAGE, Codes.ENGLISH_US));
        content.add(ContentItem.codeValue(ContentItem.HAS_OBS_CONTEXT, Codes.OBSERVER_TYPE, Codes.DEVICE));
        content.add(ContentItem.uidRef(ContentItem.HAS_OBS_CONTEXT, Codes.DEVICE_OBSERVER_UID, deviceUid(algorithm)));
        content.add(ContentItem.text(ContentItem.HAS_OBS_CONTEXT, Codes.DEVICE_OBSERVER_NAME, MANUFACTURER));
        content.add(ContentItem.text(ContentItem.HAS_OBS_CONTEXT, Codes.DEVICE_OBSERVER_MANUFACTURER, MANUFACTURER));
        content.add(ContentItem.text(ContentItem.HAS_OBS_CONTEXT, Codes.DEVICE_OBSERVER_MODEL_NAME, algorithm.name()));
        content.add(ContentItem.codeValue(ContentItem.HAS_CONCEPT_MOD, Codes.PROCEDURE_REPORTED, Codes.IMAGING_PROCEDURE));
        content.add(imageLibrary(report));
        content.add(ContentItem.container(ContentItem.CONTAINS, Codes.IMAGING_MEASUREMENTS, null, groups(report)));
        sr.putString(SrTags.ValueType, VR.CS, "CONTAINER");
        sr.putSequence(SrTags.ConceptNameCodeSequence, ContentItem.code(Codes.IMAGING_MEASUREMENT_REPORT));
        sr.putString(SrTags.ContinuityOfContent, VR.CS, "SEPARATE");
        sr.putSequence(SrTags.ContentTemplateSequence, ContentItem.template("1500"));
        sr.putSequence(SrTags.ContentSequence, content);
    }

    private static DicomObject imageLibrary(StudyReport report) {
        List<DicomObject> images = new ArrayList<>();
        for (SourceImage image : distinctImages(report)) {
            images.add(ContentItem.image(ContentItem.CONTAINS, Codes.SOURCE, image));
        }
        DicomObject group = ContentItem.container(ContentItem.CONTAINS, Codes.IMAGE_LIBRARY_GROUP, null, images);
        return ContentItem.container(ContentItem.CONTAINS, Codes.IMAGE_LIBRARY, null, List.of(group));
    }

    private List<DicomObject> groups(StudyReport report) {
        List<DicomObject> groups = new ArrayList<>();
        if (options.grouping() == ReportOptions.Grouping.INSTANCE) {
            for (ScoredImage image : report.images()) {
                for (ClassProbability c : image.classes()) {
                    groups.add(group(report, c.label(), c.probability(), List.of(image.source())));
                }
            }
        } else {
            List<SourceImage> all = distinctImages(report);
            for (ClassProbability first : report.images().get(0).classes()) {
                groups.add(group(report, first.label(), highest(report, first.label()), all));
            }
        }
        return groups;
    }

    /** The study's probability of a class: the highest any of its instances has (a finding anywhere is a finding). */
    private static double highest(StudyReport report, String label) {
        double max = 0;
        for (ScoredImage image : report.images()) {
            for (ClassProbability c : image.classes()) {
                if (c.label().equals(label)) {
                    max = Math.max(max, c.probability());
                }
            }
        }
        return max;
    }

    private static DicomObject group(StudyReport report, String label, double probability, List<SourceImage> images) {
        Code finding = report.codes().code(label);
        AlgorithmId algorithm = report.algorithm();
        List<DicomObject> content = new ArrayList<>();
        String where = images.size() == 1 ? images.get(0).sopInstanceUid() : "study";
        content.add(ContentItem.text(ContentItem.HAS_OBS_CONTEXT, Codes.TRACKING_IDENTIFIER, clip(label + " in " + where, 64)));
        content.add(ContentItem.uidRef(ContentItem.HAS_OBS_CONTEXT, Codes.TRACKING_UNIQUE_IDENTIFIER, Uids.generate()));
        content.add(ContentItem.codeValue(ContentItem.CONTAINS, Codes.FINDING, finding));
        content.add(ContentItem.text(ContentItem.HAS_CONCEPT_MOD, Codes.ALGORITHM_NAME, algorithm.name()));
        content.add(ContentItem.text(ContentItem.HAS_CONCEPT_MOD, Codes.ALGORITHM_VERSION, algorithm.version()));
        if (algorithm.bundleSha256() != null) {
            content.add(ContentItem.text(ContentItem.HAS_CONCEPT_MOD, Codes.ALGORITHM_PARAMETERS,
                    "bundle-sha256=" + algorithm.bundleSha256()));
        }
        content.add(ContentItem.num(ContentItem.CONTAINS, Codes.PROBABILITY, probability, Codes.NO_UNITS));
        for (SourceImage image : images) {
            content.add(ContentItem.image(ContentItem.CONTAINS, Codes.SOURCE_OF_MEASUREMENT, image));
        }
        return ContentItem.container(ContentItem.CONTAINS, Codes.MEASUREMENT_GROUP, "1501", content);
    }

    private static List<SourceImage> distinctImages(StudyReport report) {
        Map<String, SourceImage> byUid = new LinkedHashMap<>();
        for (ScoredImage image : report.images()) {
            byUid.putIfAbsent(image.source().sopInstanceUid(), image.source());
        }
        return new ArrayList<>(byUid.values());
    }

    /** The same device UID for the same model name, version and bundle: the observer is the algorithm. */
    static String deviceUid(AlgorithmId algorithm) {
        String key = "roentgen:" + algorithm.name() + ":" + algorithm.version() + ":" + algorithm.bundleSha256();
        return Uids.fromUuid(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
