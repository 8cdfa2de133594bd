package io.roentgen.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.roentgen.models.Scores;
import io.roentgen.models.scoring.FileScore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code roentgen predict}'s rows: CSV (RFC 4180) or JSON, one per file, with its UIDs (never
 * patient names or IDs), the predicted label, and every label's probability and threshold.
 */
final class PredictionOutput {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    private PredictionOutput() {}

    /** One JSON row: a scored file, or a file that could not be scored. */
    sealed interface Row permits Scored, Failed {}

    record Scored(String file, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid, String label,
            List<String> predicted, Map<String, Float> probabilities, Map<String, Float> thresholds) implements Row {}

    record Failed(String file, String error) implements Row {}

    static String json(List<FileScore> results) {
        List<Row> rows = new ArrayList<>();
        results.forEach(r -> rows.add(row(r)));
        return GSON.toJson(rows);
    }

    private static Row row(FileScore r) {
        if (r.failed()) {
            return new Failed(r.file().toString(), r.error());
        }
        Scores s = r.scores();
        Map<String, Float> probabilities = new LinkedHashMap<>();
        Map<String, Float> thresholds = new LinkedHashMap<>();
        for (int i = 0; i < s.labels().size(); i++) {
            probabilities.put(s.labels().get(i), s.probabilities()[i]);
            thresholds.put(s.labels().get(i), s.thresholds()[i]);
        }
        return new Scored(r.file().toString(), r.studyInstanceUid(), r.seriesInstanceUid(), r.sopInstanceUid(), label(s),
                s.predicted(), probabilities, thresholds);
    }

    /** The predicted labels: the arg-max for multi-class, every label over its threshold (joined by |) for multi-label. */
    static String label(Scores s) {
        return String.join("|", s.predicted());
    }

    static String csvHeader(List<String> labels) {
        List<String> columns = new ArrayList<>(List.of("file", "study_instance_uid", "series_instance_uid",
                "sop_instance_uid", "label"));
        labels.forEach(l -> columns.add("p_" + l));
        labels.forEach(l -> columns.add("threshold_" + l));
        columns.add("error");
        return csvLine(columns);
    }

    static String csvRow(FileScore r, int labels) {
        List<String> cells = new ArrayList<>(List.of(r.file().toString(), blank(r.studyInstanceUid()),
                blank(r.seriesInstanceUid()), blank(r.sopInstanceUid())));
        Scores s = r.scores();
        cells.add(s == null ? "" : label(s));
        for (int i = 0; i < labels; i++) {
            cells.add(s == null ? "" : Float.toString(s.probabilities()[i]));
        }
        for (int i = 0; i < labels; i++) {
            cells.add(s == null ? "" : Float.toString(s.thresholds()[i]));
        }
        cells.add(blank(r.error()));
        return csvLine(cells);
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }

    /** RFC 4180: quote cells holding a comma, quote or line break; double the quotes. */
    static String csvLine(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i > 0) {
                line.append(',');
            }
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                line.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                line.append(c);
            }
        }
        return line.toString();
    }
}
