package io.roentgen.datasets.synth;

import java.util.List;

/**
 * What {@link SyntheticCollection} writes.
 *
 * @param patients number of patients; each has 1 or 2 studies and 1 to 3 images in all
 * @param modality CT, CR or MR
 * @param size rows and columns of every image (32 to 4096: up to full-size radiographs)
 * @param classes class names; the first is the normal class (no finding), each other one a
 *     finding with its own shape (round nodule, ring, streak, repeating)
 * @param prevalence share of studies with a finding, the finding class drawn uniformly
 * @param encoding the transfer syntax
 * @param seed everything (pixels, UIDs, names, dates) follows from it: same seed, same bytes
 * @param difficulty {@code EASY}: large findings ({@link Phantom}); {@code HARD}: one small
 *     low-contrast lesion over textured lungs that no global statistic reveals ({@link HardPhantom},
 *     two classes only)
 * @param contrast the hard lesion's peak in HU ({@link HardPhantom#DEFAULT_CONTRAST}); unused when easy
 */
public record SynthSpec(int patients, SynthModality modality, int size, List<String> classes, double prevalence,
                        SynthEncoding encoding, long seed, Difficulty difficulty, float contrast) {

    /** How hard the finding is to see. */
    public enum Difficulty { EASY, HARD }

    /** An easy collection. */
    public SynthSpec(int patients, SynthModality modality, int size, List<String> classes, double prevalence,
                     SynthEncoding encoding, long seed) {
        this(patients, modality, size, classes, prevalence, encoding, seed, Difficulty.EASY, HardPhantom.DEFAULT_CONTRAST);
    }

    public SynthSpec {
        classes = List.copyOf(classes);
        if (patients < 1 || patients > 1_000_000) {
            throw new IllegalArgumentException("patients must be 1 to 1000000, not " + patients);
        }
        if (size < 32 || size > 4096) {
            throw new IllegalArgumentException("size must be 32 to 4096, not " + size);
        }
        if (classes.size() < 2 || classes.stream().distinct().count() != classes.size()
                || classes.stream().anyMatch(c -> c.isBlank() || c.contains(",") || c.contains("|"))) {
            throw new IllegalArgumentException("classes must be at least two distinct names without ',' or '|', not " + classes);
        }
        if (!(prevalence >= 0 && prevalence <= 1)) {
            throw new IllegalArgumentException("prevalence must be in [0, 1], not " + prevalence);
        }
        if (difficulty == null) {
            throw new IllegalArgumentException("difficulty must be easy or hard");
        }
        if (difficulty == Difficulty.HARD && classes.size() != 2) {
            throw new IllegalArgumentException("the hard task has two classes (normal, lesion), not " + classes.size());
        }
        if (!(contrast > 0 && contrast <= 2000)) {
            throw new IllegalArgumentException("contrast must be in (0, 2000] HU, not " + contrast);
        }
    }

    /** The demo and test default: CT, 64 x 64, normal/nodule, prevalence 0.3, explicit VR, seed 7. */
    public static SynthSpec defaults(int patients) {
        return new SynthSpec(patients, SynthModality.CT, 64, List.of("normal", "nodule"), 0.3, SynthEncoding.EXPLICIT, 7);
    }

    public SynthSpec withModality(SynthModality newModality) {
        return new SynthSpec(patients, newModality, size, classes, prevalence, encoding, seed, difficulty, contrast);
    }

    public SynthSpec withSize(int newSize) {
        return new SynthSpec(patients, modality, newSize, classes, prevalence, encoding, seed, difficulty, contrast);
    }

    public SynthSpec withEncoding(SynthEncoding newEncoding) {
        return new SynthSpec(patients, modality, size, classes, prevalence, newEncoding, seed, difficulty, contrast);
    }

    public SynthSpec withSeed(long newSeed) {
        return new SynthSpec(patients, modality, size, classes, prevalence, encoding, newSeed, difficulty, contrast);
    }

    public SynthSpec withClasses(List<String> newClasses, double newPrevalence) {
        return new SynthSpec(patients, modality, size, newClasses, newPrevalence, encoding, seed, difficulty, contrast);
    }

    /** The hard task ({@link HardPhantom}) with this lesion contrast in HU. */
    public SynthSpec hard(float lesionContrast) {
        return new SynthSpec(patients, modality, size, classes, prevalence, encoding, seed, Difficulty.HARD, lesionContrast);
    }
}
