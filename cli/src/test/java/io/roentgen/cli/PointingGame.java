package io.roentgen.cli;

import io.roentgen.datasets.synth.Lesion;
import io.roentgen.models.explain.CamMaps;
import io.roentgen.models.explain.Explanation;
import java.util.List;

/**
 * Zhang et al.'s pointing game: a hit when the maximum of the map at input resolution falls within
 * a lesion of the image, widened by a tolerance (15 px at 224 x 224, scaled to the input).
 */
final class PointingGame {

    private PointingGame() {}

    /** The tolerance for an input {@code size} pixels wide: 15 px at 224. */
    static double tolerance(int size) {
        return 15.0 * size / 224;
    }

    /** The fraction of images whose map points into one of their lesions ({@code lesions} in input pixels). */
    static double score(List<Explanation> explanations, List<List<Lesion>> lesions, double tolerance) {
        int hits = 0;
        for (int i = 0; i < explanations.size(); i++) {
            Explanation e = explanations.get(i);
            int at = CamMaps.argMax(e.map());
            int row = at / e.width();
            int column = at % e.width();
            if (lesions.get(i).stream().anyMatch(l -> l.contains(column, row, tolerance))) {
                hits++;
            }
        }
        return hits / (double) explanations.size();
    }
}
