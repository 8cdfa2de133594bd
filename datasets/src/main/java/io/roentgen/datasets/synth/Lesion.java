package io.roentgen.datasets.synth;

/**
 * Where a synthetic finding was painted, in pixels of the written image: column {@code x} and row
 * {@code y} of its centre (pixel {@code i} spans {@code [i, i + 1)}) and the radius of the circle
 * that holds it (a nodule's radius, a ring's outer radius, a streak's half length). The ground
 * truth explanations are scored against.
 */
public record Lesion(double x, double y, double radius) {

    /** Whether the centre of pixel ({@code column}, {@code row}) lies within the lesion widened by {@code tolerance} pixels. */
    public boolean contains(int column, int row, double tolerance) {
        return Math.hypot(column + 0.5 - x, row + 0.5 - y) <= radius + tolerance;
    }

    /** The same lesion in an image scaled by {@code factor} (e.g. from the written size to the model's input). */
    public Lesion scaled(double factor) {
        return new Lesion(x * factor, y * factor, radius * factor);
    }
}
