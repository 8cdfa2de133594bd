package io.roentgen.dicom.sr;

import io.roentgen.dicom.DicomObject;

/** A small valid report for tests in other packages. */
public final class MeasurementReportFixture {
    private MeasurementReportFixture() {}

    public static DicomObject report() {
        return MeasurementReportTest.report(true);
    }
}
