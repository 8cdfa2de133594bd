package io.roentgen.dicom.sr;

import java.util.List;

/**
 * Everything a measurement report says about one study: the algorithm, how its labels are coded,
 * and the classified instances. Independent of any model library, so anything that scores images
 * can report them.
 */
public record StudyReport(AlgorithmId algorithm, LabelCodes codes, List<ScoredImage> images) {
    public StudyReport {
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one scored image");
        }
        String study = images.get(0).source().studyInstanceUid();
        for (ScoredImage image : images) {
            if (!study.equals(image.source().studyInstanceUid())) {
                throw new IllegalArgumentException("a report covers one study; images of two studies were given");
            }
        }
    }

    public String studyInstanceUid() {
        return images.get(0).source().studyInstanceUid();
    }
}
