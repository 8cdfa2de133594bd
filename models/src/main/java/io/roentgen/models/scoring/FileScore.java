package io.roentgen.models.scoring;

import io.roentgen.models.Scores;

import java.nio.file.Path;

/**
 * The result for one file: its instance, series and study UIDs (no patient identifiers) and its
 * scores, or why it could not be scored.
 *
 * @param error null when scored; else one line naming the problem (scores and UIDs may be null)
 */
public record FileScore(Path file, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
                        Scores scores, String error) {

    public boolean failed() {
        return error != null;
    }

    static FileScore failure(Path file, String error) {
        return new FileScore(file, null, null, null, null, error);
    }
}
