package io.roentgen.dicom.sr;

import java.util.Objects;

/**
 * How reports are written.
 *
 * @param srClass      Comprehensive 3D SR (default) or Comprehensive SR
 * @param grouping     one measurement group per instance and class (default), or per study and class
 * @param seriesNumber Series Number of the SR series
 */
public record ReportOptions(SrClass srClass, Grouping grouping, int seriesNumber) {

    /** What one measurement group covers. */
    public enum Grouping {
        /** A group per instance and class: the instance's probability, one image reference. */
        INSTANCE,
        /** A group per class for the whole study: the highest probability over its instances, all references. */
        STUDY
    }

    public ReportOptions {
        Objects.requireNonNull(srClass, "srClass");
        Objects.requireNonNull(grouping, "grouping");
        if (seriesNumber < 1) {
            throw new IllegalArgumentException("series number >= 1, got " + seriesNumber);
        }
    }

    public static ReportOptions defaults() {
        return new ReportOptions(SrClass.COMPREHENSIVE_3D, Grouping.INSTANCE, 9901);
    }

    public ReportOptions withSrClass(SrClass value) {
        return new ReportOptions(value, grouping, seriesNumber);
    }

    public ReportOptions withGrouping(Grouping value) {
        return new ReportOptions(srClass, value, seriesNumber);
    }
}
