package io.roentgen.dicom.sr;

import java.util.List;

/** One classified instance: the image and the probability of every class, in the model's order. */
public record ScoredImage(SourceImage source, List<ClassProbability> classes) {
    public ScoredImage {
        classes = List.copyOf(classes);
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("a scored image needs at least one class");
        }
    }
}
