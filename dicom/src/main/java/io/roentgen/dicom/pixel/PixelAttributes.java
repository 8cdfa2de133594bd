package io.roentgen.dicom.pixel;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the window step ({@code io.roentgen.dicom.image.Windowing}) needs from the header besides the stored values: filled from the
 * parsed data set by the caller. Absent attributes keep their defaults (see {@link #builder()}).
 *
 * @param rescaleSlope        (0028,1053), 1 when absent
 * @param rescaleIntercept    (0028,1052), 0 when absent
 * @param windowCenters       (0028,1050) all values, empty when absent
 * @param windowWidths        (0028,1051) all values, empty when absent
 * @param voiLutFunction      (0028,1056) LINEAR, LINEAR_EXACT or SIGMOID; null when absent (LINEAR)
 * @param redPalette          Red Palette Color LUT (PALETTE COLOR only), else null
 * @param greenPalette        Green Palette Color LUT, else null
 * @param bluePalette         Blue Palette Color LUT, else null
 * @param segmentedPalette    true when the file has Segmented Palette Color LUT Data
 *                            (0028,1221..1223): refused with a DicomException when used
 */
public record PixelAttributes(
        double rescaleSlope,
        double rescaleIntercept,
        double[] windowCenters,
        double[] windowWidths,
        String voiLutFunction,
        PaletteLut redPalette,
        PaletteLut greenPalette,
        PaletteLut bluePalette,
        boolean segmentedPalette) {

    /** No rescale, no window, no palette. */
    public static final PixelAttributes NONE = builder().build();

    public PixelAttributes {
        windowCenters = windowCenters == null ? new double[0] : windowCenters.clone();
        windowWidths = windowWidths == null ? new double[0] : windowWidths.clone();
    }

    @Override
    public double[] windowCenters() {
        return windowCenters.clone();
    }

    @Override
    public double[] windowWidths() {
        return windowWidths.clone();
    }

    /** Whether the file has a usable window (the first centre/width pair, width > 0). */
    public boolean hasWindow() {
        return windowCenters.length > 0 && windowWidths.length > 0 && Double.isFinite(windowCenters[0])
                && Double.isFinite(windowWidths[0]) && windowWidths[0] > 0;
    }

    /** First window centre, NaN when absent. */
    public double firstWindowCenter() {
        return windowCenters.length > 0 ? windowCenters[0] : Double.NaN;
    }

    /** First window width, NaN when absent. */
    public double firstWindowWidth() {
        return windowWidths.length > 0 ? windowWidths[0] : Double.NaN;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.rescaleSlope = rescaleSlope;
        b.rescaleIntercept = rescaleIntercept;
        b.windowCenters = windowCenters;
        b.windowWidths = windowWidths;
        b.voiLutFunction = voiLutFunction;
        b.red = redPalette;
        b.green = greenPalette;
        b.blue = bluePalette;
        b.segmentedPalette = segmentedPalette;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelAttributes a && Double.compare(a.rescaleSlope, rescaleSlope) == 0
                && Double.compare(a.rescaleIntercept, rescaleIntercept) == 0
                && Arrays.equals(a.windowCenters, windowCenters) && Arrays.equals(a.windowWidths, windowWidths)
                && Objects.equals(a.voiLutFunction, voiLutFunction) && Objects.equals(a.redPalette, redPalette)
                && Objects.equals(a.greenPalette, greenPalette) && Objects.equals(a.bluePalette, bluePalette)
                && a.segmentedPalette == segmentedPalette;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rescaleSlope, rescaleIntercept, Arrays.hashCode(windowCenters),
                Arrays.hashCode(windowWidths), voiLutFunction, redPalette, greenPalette, bluePalette,
                segmentedPalette);
    }

    @Override
    public String toString() {
        return "PixelAttributes[rescale=" + rescaleSlope + "x+" + rescaleIntercept + ", windowCenters="
                + Arrays.toString(windowCenters) + ", windowWidths=" + Arrays.toString(windowWidths)
                + ", voiLutFunction=" + voiLutFunction + ", palette=" + (redPalette != null)
                + ", segmentedPalette=" + segmentedPalette + "]";
    }

    /** Mutable builder; defaults are the values for absent attributes. */
    public static final class Builder {
        private double rescaleSlope = 1.0;
        private double rescaleIntercept = 0.0;
        private double[] windowCenters = new double[0];
        private double[] windowWidths = new double[0];
        private String voiLutFunction;
        private PaletteLut red;
        private PaletteLut green;
        private PaletteLut blue;
        private boolean segmentedPalette;

        private Builder() {}

        public Builder rescale(double slope, double intercept) {
            this.rescaleSlope = slope;
            this.rescaleIntercept = intercept;
            return this;
        }

        public Builder windows(double[] centers, double[] widths) {
            this.windowCenters = centers == null ? new double[0] : centers.clone();
            this.windowWidths = widths == null ? new double[0] : widths.clone();
            return this;
        }

        public Builder window(double center, double width) {
            return windows(new double[] {center}, new double[] {width});
        }

        public Builder voiLutFunction(String function) {
            this.voiLutFunction = function;
            return this;
        }

        public Builder palette(PaletteLut redLut, PaletteLut greenLut, PaletteLut blueLut) {
            this.red = redLut;
            this.green = greenLut;
            this.blue = blueLut;
            return this;
        }

        public Builder segmentedPalette(boolean segmented) {
            this.segmentedPalette = segmented;
            return this;
        }

        public PixelAttributes build() {
            return new PixelAttributes(rescaleSlope, rescaleIntercept, windowCenters, windowWidths, voiLutFunction,
                    red, green, blue, segmentedPalette);
        }
    }
}
