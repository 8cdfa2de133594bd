package io.roentgen.dicom.sr;

/** One source instance's result: its UIDs, the finding as a code, and its probability (0-1). */
public record InstanceFinding(String sopClassUid, String sopInstanceUid, String seriesInstanceUid, Code finding,
        double probability) {}
