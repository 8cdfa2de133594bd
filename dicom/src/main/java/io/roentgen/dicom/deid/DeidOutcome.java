package io.roentgen.dicom.deid;

/**
 * What became of one data set: de-identified (refusal null), or refused with the reason.
 *
 * @param refusal why the data set was not de-identified, or null
 * @param pixelsCleaned true when burned-in text regions were masked
 */
public record DeidOutcome(String refusal, boolean pixelsCleaned) {
    public static DeidOutcome refused(String reason) {
        return new DeidOutcome(reason, false);
    }

    public boolean isRefused() {
        return refusal != null;
    }
}
