package io.roentgen.dicom.sr;

/** One class of a classifier's answer: its label and probability in [0, 1]. */
public record ClassProbability(String label, double probability) {
    public ClassProbability {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a class needs a label");
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability of '" + label + "' must be in [0, 1], got " + probability);
        }
    }
}
