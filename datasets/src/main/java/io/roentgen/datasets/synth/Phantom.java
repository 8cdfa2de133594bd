package io.roentgen.datasets.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Paints one axial chest-like slice in Hounsfield-like units: air, a body ellipse with a fat rim,
 * two darker lungs, a mediastinum, a spine and a ring of ribs, small vessels in the lungs as
 * distractors, smooth low-frequency shading and white noise; and, for a finding class, 1 to 3
 * findings inside the lungs. Finding shapes by class: 1 round nodule (soft edge), 2 ring, 3 streak,
 * then repeating. Findings vary in size (radius 7 to 13 % of the width), position and contrast
 * (400 to 800 HU over lung), so a model has to find them, not memorise one spot. They are large
 * next to the faint vessels (radius at most 1.2 % of the width, 100 to 250 HU): the zoo's
 * {@code small} CNN, whose global average pooling dilutes small findings, learns the task to a
 * validation AUROC of 0.95 in about ten epochs of a few hundred 64 x 64 images. Painting touches
 * only each shape's bounding box.
 */
final class Phantom {
    static final float AIR = -1000;
    static final float LUNG = -850;
    static final float FAT = -100;
    static final float SOFT_TISSUE = 40;
    static final float CANCELLOUS_BONE = 300;
    static final float CORTICAL_BONE = 800;

    private final int size;
    private final float[] hu;
    private final SplittableRandom random;

    // Body and lungs in pixels, kept to place findings.
    private double bodyX;
    private double bodyY;
    private final double[][] lungs = new double[2][4];
    private final List<Lesion> lesions = new ArrayList<>();

    /** A painted slice and where its findings are. */
    record Painted(float[] hu, List<Lesion> lesions) {}

    Phantom(int size, SplittableRandom random) {
        this.size = size;
        this.hu = new float[size * size];
        this.random = random;
    }

    /** The slice, row-major, {@code size * size} values, and its findings; {@code findingClass} 0 is normal. */
    static Painted paint(int size, SplittableRandom random, int findingClass) {
        Phantom p = new Phantom(size, random);
        p.anatomy();
        if (findingClass > 0) {
            p.finding(findingClass);
        }
        p.shading();
        p.noise(12);
        return new Painted(p.hu, List.copyOf(p.lesions));
    }

    /** The pixels painted so far (the live array). */
    float[] pixels() {
        return hu;
    }

    /** A random point inside lung {@code side} (0 or 1), within {@code reach} of its radii. */
    double[] insideLung(int side, double reach) {
        return insideLung(lungs[side], reach);
    }

    /** Adds a Gaussian of standard deviation {@code sigma} pixels and this peak, over +-3 sigma. */
    void gaussian(double cx, double cy, double sigma, double peak) {
        double r = 3 * sigma;
        for (int y = lo(cy - r); y <= hi(cy + r); y++) {
            for (int x = lo(cx - r); x <= hi(cx + r); x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                hu[y * size + x] += (float) (peak * Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)));
            }
        }
    }

    void anatomy() {
        Arrays.fill(hu, AIR);
        bodyX = size * (0.5 + 0.02 * random.nextGaussian());
        bodyY = size * (0.52 + 0.02 * random.nextGaussian());
        double ax = size * uniform(0.40, 0.46);
        double ay = size * uniform(0.32, 0.40);
        ellipse(bodyX, bodyY, ax, ay, 0, FAT);
        double rim = size * uniform(0.02, 0.04);
        ellipse(bodyX, bodyY, ax - rim, ay - rim, 0, SOFT_TISSUE);
        for (int side = 0; side < 2; side++) {
            double sign = side == 0 ? -1 : 1;
            double[] lung = lungs[side];
            lung[0] = bodyX + sign * (ax - rim) * uniform(0.42, 0.50);
            lung[1] = bodyY - size * uniform(0.0, 0.04);
            lung[2] = (ax - rim) * uniform(0.32, 0.40);
            lung[3] = (ay - rim) * uniform(0.62, 0.75);
            ellipse(lung[0], lung[1], lung[2], lung[3], sign * uniform(0, 0.25), LUNG);
        }
        ellipse(bodyX + size * 0.03, bodyY + size * 0.04, size * uniform(0.08, 0.11), size * uniform(0.09, 0.12),
                0.4, SOFT_TISSUE);
        spine(ay - rim);
        ribs(ax - rim, ay - rim);
        vessels();
    }

    private void spine(double innerAy) {
        double r = size * uniform(0.045, 0.055);
        double y = bodyY + innerAy - 1.6 * r;
        ellipse(bodyX, y, r, r, 0, CORTICAL_BONE);
        ellipse(bodyX, y, 0.65 * r, 0.65 * r, 0, CANCELLOUS_BONE);
    }

    private void ribs(double ax, double ay) {
        int count = 10 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            double angle = 2 * Math.PI * (i + 0.5) / count + 0.1 * random.nextGaussian();
            // No rib right over the spine.
            if (Math.abs(Math.sin(angle) - 1) < 0.02) {
                continue;
            }
            double x = bodyX + 0.9 * ax * Math.cos(angle);
            double y = bodyY + 0.9 * ay * Math.sin(angle);
            double r = size * uniform(0.012, 0.02);
            ellipse(x, y, 1.6 * r, r, angle + Math.PI / 2, (float) uniform(650, 1000));
        }
    }

    private void vessels() {
        for (double[] lung : lungs) {
            int count = 2 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                double[] at = insideLung(lung, 0.8);
                blob(at[0], at[1], size * uniform(0.006, 0.012), (float) uniform(100, 250));
            }
        }
    }

    private void finding(int findingClass) {
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            double[] lung = lungs[random.nextInt(2)];
            double r = size * uniform(0.07, 0.13);
            float contrast = (float) uniform(400, 800);
            double[] at = insideLung(lung, 0.55);
            switch ((findingClass - 1) % 3) {
                case 0 -> blob(at[0], at[1], r, contrast);
                case 1 -> ring(at[0], at[1], 1.2 * r, contrast);
                default -> ellipse(at[0], at[1], 1.8 * r, 0.45 * r, uniform(0, Math.PI), LUNG + contrast);
            }
            double extent = switch ((findingClass - 1) % 3) {
                case 0 -> r;
                case 1 -> 1.2 * r + Math.max(1.0, 0.36 * r); // the ring's outer edge
                default -> 1.8 * r;
            };
            lesions.add(new Lesion(at[0], at[1], extent));
        }
    }

    private double[] insideLung(double[] lung, double reach) {
        double angle = uniform(0, 2 * Math.PI);
        double radius = reach * Math.sqrt(random.nextDouble());
        return new double[] {lung[0] + radius * lung[2] * Math.cos(angle), lung[1] + radius * lung[3] * Math.sin(angle)};
    }

    /** Sets the value inside a rotated ellipse. */
    private void ellipse(double cx, double cy, double ax, double ay, double angle, float value) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double extent = Math.max(ax, ay);
        for (int y = lo(cy - extent); y <= hi(cy + extent); y++) {
            for (int x = lo(cx - extent); x <= hi(cx + extent); x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double u = (dx * cos + dy * sin) / ax;
                double v = (-dx * sin + dy * cos) / ay;
                if (u * u + v * v <= 1) {
                    hu[y * size + x] = value;
                }
            }
        }
    }

    /** Adds a soft-edged disc: full contrast inside 70 % of the radius, fading linearly to the edge. */
    private void blob(double cx, double cy, double r, float contrast) {
        for (int y = lo(cy - r); y <= hi(cy + r); y++) {
            for (int x = lo(cx - r); x <= hi(cx + r); x++) {
                double d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
                double weight = Math.min(1, (r - d) / (0.3 * r));
                if (weight > 0) {
                    hu[y * size + x] += (float) (contrast * weight);
                }
            }
        }
    }

    private void ring(double cx, double cy, double r, float contrast) {
        double half = Math.max(1.0, 0.3 * r);
        for (int y = lo(cy - r - half); y <= hi(cy + r + half); y++) {
            for (int x = lo(cx - r - half); x <= hi(cx + r + half); x++) {
                double d = Math.abs(Math.hypot(x + 0.5 - cx, y + 0.5 - cy) - r);
                if (d < half) {
                    hu[y * size + x] += (float) (contrast * (1 - d / half));
                }
            }
        }
    }

    /** Low-frequency shading: a 6 x 6 grid of offsets (sd 25 HU) interpolated bilinearly. */
    private void shading() {
        int grid = 6;
        double[] knots = new double[grid * grid];
        for (int i = 0; i < knots.length; i++) {
            knots[i] = 25 * random.nextGaussian();
        }
        double scale = (grid - 1) / (double) size;
        for (int y = 0; y < size; y++) {
            double gy = y * scale;
            int y0 = (int) gy;
            double fy = gy - y0;
            int y1 = Math.min(grid - 1, y0 + 1);
            for (int x = 0; x < size; x++) {
                double gx = x * scale;
                int x0 = (int) gx;
                double fx = gx - x0;
                int x1 = Math.min(grid - 1, x0 + 1);
                double top = knots[y0 * grid + x0] * (1 - fx) + knots[y0 * grid + x1] * fx;
                double bottom = knots[y1 * grid + x0] * (1 - fx) + knots[y1 * grid + x1] * fx;
                hu[y * size + x] += (float) (top * (1 - fy) + bottom * fy);
            }
        }
    }

    void noise(double sd) {
        for (int i = 0; i < hu.length; i++) {
            hu[i] += (float) (sd * random.nextGaussian());
        }
    }

    private double uniform(double from, double to) {
        return from + (to - from) * random.nextDouble();
    }

    private int lo(double v) {
        return Math.max(0, (int) Math.floor(v));
    }

    private int hi(double v) {
        return Math.min(size - 1, (int) Math.ceil(v));
    }
}
