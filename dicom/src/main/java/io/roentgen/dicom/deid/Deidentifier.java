package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * De-identifies data sets with PS3.15's Basic Application Level Confidentiality Profile and the
 * options of a {@link DeidConfig}: refuses images that may carry burned-in text unless a mask
 * for the device is given, applies Table E.1-1 at every depth, masks burned-in regions, and
 * records what was done. Thread-safe: one instance serves a whole batch.
 */
public final class Deidentifier {
    /** Modalities whose images commonly carry burned-in text even when Burned In Annotation says nothing. */
    public static final Set<String> BURNED_IN_MODALITIES = Set.of("US", "SC");

    private final DeidConfig config;
    private final ProfileTable table;
    private final UidMapper uids;
    private final Pseudonyms pseudonyms;
    private final Map<String, String> patientIds;

    public Deidentifier(DeidConfig config) {
        this.config = config;
        this.table = ProfileTable.standard();
        this.uids = new UidMapper(config.key(), config.recordMappings());
        this.pseudonyms = new Pseudonyms(config.key());
        this.patientIds = config.recordMappings() ? new ConcurrentHashMap<>() : null;
    }

    public DeidConfig config() {
        return config;
    }

    /** The UID map (the same one every file goes through). */
    public UidMapper uids() {
        return uids;
    }

    /** Original to new Patient IDs seen so far (empty unless recording mappings). */
    public Map<String, String> patientIds() {
        return patientIds == null ? Map.of() : Map.copyOf(patientIds);
    }

    /**
     * De-identifies the data set in place, or leaves it untouched and says why it was refused.
     * The data set must hold the pixel data (a header-only read cannot be masked).
     */
    public DeidOutcome deidentify(DicomObject ds) {
        BurnedInMasks.Mask mask = null;
        String burnedIn = burnedInReason(ds);
        if (burnedIn != null && ds.contains(Tag.PixelData)) {
            if (config.masks() == null) {
                return DeidOutcome.refused(burnedIn + "; give --burned-in mask:REGIONS.json with a mask for this device");
            }
            mask = config.masks().maskFor(ds);
            if (mask == null) {
                return DeidOutcome.refused(burnedIn + "; REGIONS.json has no mask for this device ("
                        + ds.getString(Tag.Manufacturer, "?") + " / " + ds.getString(Tag.ManufacturerModelName, "?") + ", "
                        + ds.getInt(Tag.Rows, 0) + "x" + ds.getInt(Tag.Columns, 0) + ")");
            }
            if (ds.hasEncapsulatedPixelData()) {
                return DeidOutcome.refused(burnedIn + "; " + "compressed pixel data (" + ds.transferSyntax()
                        + ") cannot be masked without re-encoding; decompress it first (e.g. dcmdjpeg, gdcmconv --raw)");
            }
        }
        String patientId = ds.getString(Tag.PatientID, "");
        DateShifter shifter = config.has(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)
                ? DateShifter.forPatient(config.key(), patientId) : null;
        TextCleaner cleaner = TextCleaner.of(IdentifyingValues.collect(ds, table, config.options()));
        new ProfileWalker(table, config, uids, pseudonyms, shifter, cleaner).walk(ds);
        if (patientIds != null && !patientId.isEmpty()) {
            patientIds.put(patientId, ds.getString(Tag.PatientID, ""));
        }
        boolean cleaned = false;
        if (mask != null) {
            String failure = PixelMasker.mask(ds, mask.regions());
            if (failure != null) {
                return DeidOutcome.refused(failure); // the data set is half-done: the caller must not write it
            }
            cleaned = true;
        }
        DeidRecorder.record(ds, config.options(), cleaned);
        return new DeidOutcome(null, cleaned);
    }

    /** Why this image may carry burned-in text, or null. */
    static String burnedInReason(DicomObject ds) {
        if ("YES".equalsIgnoreCase(ds.getString(Tag.BurnedInAnnotation, "").strip())) {
            return "Burned In Annotation is YES";
        }
        String modality = ds.getString(Tag.Modality, "").strip().toUpperCase(java.util.Locale.ROOT);
        if (BURNED_IN_MODALITIES.contains(modality)) {
            return "modality " + modality + " commonly carries burned-in text";
        }
        return null;
    }
}
