package io.roentgen.training.evaluation;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;
import io.roentgen.models.scoring.FileScore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scores measured against a manifest's labels: the counts at the bundle's thresholds, the
 * failures, the confusion matrix, and the JSON schema (NaN and missing parts as null, never absent).
 */
class BundleEvaluatorTest {
    private static final List<String> LABELS = List.of("normal", "finding");
    private static final ModelCard CARD = new ModelCard("chest", "2", "roentgen", LABELS, false, 1, 8, 8,
            new float[] {0.5f, 0.3f});

    @TempDir
    Path dir;

    @Test
    void measuresTheScoredRowsOfTheSplitAndCountsTheFailures() throws Exception {
        Path csv = manifest("a,normal,test", "b,finding,test", "c,finding,test", "d,normal,test", "e,normal,train");
        List<ManifestEntry> entries = BundleEvaluator.entries(CARD, csv, "TEST");
        assertEquals(4, entries.size(), "the split, case-insensitive");
        double[] finding = {0.2, 0.9, 0.4, 0.0};
        List<FileScore> scored = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            scored.add(score(entries.get(i).path(), finding[i]));
        }
        scored.add(new FileScore(entries.get(3).path(), null, null, null, null, "unreadable"));
        EvaluationResult result = Measurement.of(CARD, new BundleEvaluator.Settings(csv, "TEST", 4, 0, 1), entries, scored);
        Evaluation e = result.evaluation();
        assertEquals(3, e.images());
        assertEquals(1, e.failed());
        assertEquals(1.0, e.classes().get(1).auroc(), 1e-12);
        Evaluation.Counts atThreshold = e.classes().get(1).atThreshold(); // 0.3: both findings called
        assertEquals(2, atThreshold.truePositives());
        assertEquals(0, atThreshold.falseNegatives());
        Evaluation.Counts atHalf = e.classes().get(1).atHalf(); // 0.5: the 0.4 finding missed
        assertEquals(1, atHalf.truePositives());
        assertEquals(1, atHalf.falseNegatives());
        assertEquals(0.3f, e.classes().get(1).threshold(), 0.0);
        assertEquals(2, result.rocCurves().size());
        assertEquals(1, e.confusionMatrix().count(0, 0));
        assertEquals(1, e.confusionMatrix().count(1, 0), "the 0.4 finding is predicted normal");
        assertEquals(1, e.confusionMatrix().count(1, 1));

        JsonObject json = JsonParser.parseString(e.toJson()).getAsJsonObject();
        assertEquals(List.of("model", "manifest", "split", "images", "failed", "task", "accuracy", "macroAuroc",
                "macroAurocInterval", "classes", "confusionMatrix"), List.copyOf(json.keySet()));
        assertTrue(json.get("macroAurocInterval").isJsonNull(), "no bootstrap, no interval: null, not absent");
        assertEquals("chest", json.getAsJsonObject("model").get("name").getAsString());
        assertEquals(List.of("sensitivity", "specificity", "f1", "truePositives", "falsePositives", "trueNegatives",
                "falseNegatives"), List.copyOf(json.getAsJsonArray("classes").get(1).getAsJsonObject()
                .getAsJsonObject("atThreshold").keySet()));
    }

    @Test
    void anUndefinedMetricIsNullInTheJson() throws Exception {
        Path csv = manifest("a,normal,test", "b,normal,test");
        List<ManifestEntry> entries = BundleEvaluator.entries(CARD, csv, null);
        List<FileScore> scored = List.of(score(entries.get(0).path(), 0.1), score(entries.get(1).path(), 0.7));
        Evaluation e = Measurement.of(CARD, new BundleEvaluator.Settings(csv, null, 4, 0, 1), entries, scored).evaluation();
        assertTrue(Double.isNaN(e.classes().get(1).auroc()), "no positives");
        JsonObject finding = JsonParser.parseString(e.toJson()).getAsJsonObject().getAsJsonArray("classes").get(1)
                .getAsJsonObject();
        assertTrue(finding.get("auroc").isJsonNull());
        assertTrue(finding.getAsJsonObject("atHalf").get("sensitivity").isJsonNull());
    }

    @Test
    void aSplitWithoutRowsIsAUsageErrorNamingTheSplitsThereAre() throws Exception {
        Path csv = manifest("a,normal,test", "b,finding,train");
        RoentgenException e = assertThrows(RoentgenException.class, () -> BundleEvaluator.entries(CARD, csv, "holdout"));
        assertEquals(csv + ": no rows in split 'holdout'; splits present: test, train", e.getMessage());
    }

    private Path manifest(String... rows) throws Exception {
        StringBuilder csv = new StringBuilder("path,label,split,patient_id\n");
        for (String row : rows) {
            String file = row.substring(0, row.indexOf(','));
            Files.write(dir.resolve(file + ".dcm"), new byte[0]);
            csv.append(file).append(".dcm").append(row.substring(row.indexOf(','))).append(",p-").append(file).append('\n');
        }
        return Files.writeString(dir.resolve("manifest.csv"), csv);
    }

    private static FileScore score(Path file, double finding) {
        float p = (float) finding;
        Scores scores = new Scores(LABELS, new float[] {1 - p, p}, List.of(p >= 0.5f ? "finding" : "normal"),
                CARD.thresholds());
        return new FileScore(file, "1.2", "1.2.1", "1.2.1.1", scores, null);
    }
}
