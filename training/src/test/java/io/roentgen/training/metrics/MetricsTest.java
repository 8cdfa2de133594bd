package io.roentgen.training.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    // Positives score 0.35, 0.8, 0.4; negatives 0.1, 0.4, 0.35 (a tie with a positive at 0.35 and at 0.4).
    private static final double[] TIED_SCORES = {0.1, 0.4, 0.35, 0.8, 0.4, 0.35};
    private static final boolean[] TIED_LABELS = {false, false, true, true, true, false};

    @Test
    void aurocCountsTiesAsHalf() {
        // Pairs won by the positive: 0.35 -> 1 + 0 + 0.5; 0.8 -> 3; 0.4 -> 1 + 0.5 + 1. Total 7 of 9.
        assertEquals(7.0 / 9.0, Auroc.of(TIED_SCORES, TIED_LABELS), 1e-15);
    }

    @Test
    void aurocWithoutTiesAndUndefinedCases() {
        assertEquals(5.0 / 6.0, Auroc.of(new double[] {0.2, 0.3, 0.6, 0.7, 0.9},
                new boolean[] {false, true, false, true, true}), 1e-15);
        assertEquals(1.0, Auroc.of(new double[] {0.1, 0.9}, new boolean[] {false, true}));
        assertEquals(0.5, Auroc.of(new double[] {0.5, 0.5, 0.5}, new boolean[] {false, true, true}));
        assertTrue(Double.isNaN(Auroc.of(new double[] {0.1, 0.9}, new boolean[] {true, true})));
    }

    @Test
    @Timeout(10)
    void nanScoresFromADivergedModelGiveNanMetricsAndReturn() {
        // A NaN threshold never equalled itself, so the Youden and ROC sweeps used to spin forever.
        double[] scores = {0.2, Double.NaN, 0.6, Double.NaN, 0.9};
        boolean[] positive = {false, true, false, true, true};
        assertTrue(Double.isNaN(Auroc.of(scores, positive)));
        YoudenThreshold youden = YoudenThreshold.of(scores, positive);
        assertTrue(Double.isNaN(youden.threshold()) && Double.isNaN(youden.sensitivity()));
        assertEquals(5, RocCurve.of(scores, positive).size(), "(0,0), one point for the NaN tie group, 0.9, 0.6, 0.2");
        ClassMetrics metrics = Metrics.classMetrics("c", scores, positive, 50, 1);
        assertTrue(Double.isNaN(metrics.auroc()));
        EvaluationReport report = Metrics.evaluate(new double[][] {{Double.NaN, Double.NaN}, {0.4, 0.6}},
                new boolean[][] {{true, false}, {false, true}}, false, List.of("a", "b"), Double.NaN, 20, 3);
        assertTrue(Double.isNaN(report.macroAuroc()));
    }

    @Test
    void youdenPicksTheBestThreshold() {
        // t=0.9: J=1/3; t=0.7: sens 2/3, spec 1 -> J=2/3; t=0.6: 1/6; t=0.3: 1/2; t=0.2: 0.
        YoudenThreshold y = YoudenThreshold.of(new double[] {0.2, 0.3, 0.6, 0.7, 0.9},
                new boolean[] {false, true, false, true, true});
        assertEquals(0.7, y.threshold());
        assertEquals(2.0 / 3.0, y.sensitivity(), 1e-15);
        assertEquals(1.0, y.specificity());
    }

    @Test
    void youdenTieGoesToTheHighestThreshold() {
        // 0.8, 0.4 and 0.35 all give J = 1/3 (1/3 + 1 - 1, 2/3 + 2/3 - 1, 1 + 1/3 - 1).
        YoudenThreshold y = YoudenThreshold.of(TIED_SCORES, TIED_LABELS);
        assertEquals(0.8, y.threshold());
        assertEquals(1.0 / 3.0, y.sensitivity(), 1e-15);
        assertEquals(1.0, y.specificity());
    }

    @Test
    void countsAtHalf() {
        BinaryCounts c = BinaryCounts.at(TIED_SCORES, TIED_LABELS, 0.5);
        assertEquals(new BinaryCounts(1, 0, 3, 2), c);
        assertEquals(1.0 / 3.0, c.sensitivity(), 1e-15);
        assertEquals(1.0, c.specificity());
        assertEquals(0.5, c.f1(), 1e-15); // 2*1 / (2*1 + 0 + 2)
        assertEquals(4.0 / 6.0, c.accuracy(), 1e-15);
    }

    @Test
    void rocCurveGoesThroughEachThreshold() {
        RocCurve roc = RocCurve.of(new double[] {0.2, 0.3, 0.6, 0.7, 0.9}, new boolean[] {false, true, false, true, true});
        assertEquals(6, roc.size());
        assertEquals(0.0, roc.falsePositiveRates()[0]);
        assertEquals(1.0 / 3.0, roc.truePositiveRates()[1], 1e-15);
        assertEquals(0.5, roc.falsePositiveRates()[3], 1e-15);
        assertEquals(1.0, roc.falsePositiveRates()[5]);
        assertEquals(1.0, roc.truePositiveRates()[5]);
    }

    @Test
    void bootstrapMatchesAStraightforwardReference() {
        SplittableRandom data = new SplittableRandom(7);
        int n = 60;
        double[] scores = new double[n];
        boolean[] labels = new boolean[n];
        for (int i = 0; i < n; i++) {
            labels[i] = data.nextDouble() < 0.4;
            // Rounded to create ties.
            scores[i] = Math.round((data.nextDouble() + (labels[i] ? 0.4 : 0)) * 20) / 20.0;
        }
        ConfidenceInterval ci = Bootstrap.percentile95(n, 500, 123, Bootstrap.auroc(scores, labels));

        SplittableRandom random = new SplittableRandom(123);
        List<Double> values = new ArrayList<>();
        for (int r = 0; r < 500; r++) {
            double[] s = new double[n];
            boolean[] p = new boolean[n];
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(n);
                s[i] = scores[pick];
                p[i] = labels[pick];
            }
            double auc = pairwiseAuroc(s, p);
            if (!Double.isNaN(auc)) {
                values.add(auc);
            }
        }
        Collections.sort(values);
        assertEquals(values.size(), ci.resamples());
        assertEquals(numpyPercentile(values, 2.5), ci.lower(), 1e-12);
        assertEquals(numpyPercentile(values, 97.5), ci.upper(), 1e-12);
        double auroc = Auroc.of(scores, labels);
        assertEquals(pairwiseAuroc(scores, labels), auroc, 1e-12);
        assertTrue(ci.lower() < auroc && auroc < ci.upper(), ci + " around " + auroc);
    }

    @Test
    void evaluateMultiClass() {
        double[][] p = {
            {0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.2, 0.5, 0.3}, {0.1, 0.1, 0.8}, {0.6, 0.3, 0.1}, {0.3, 0.3, 0.4},
        };
        int[] truth = {0, 1, 2, 2, 1, 2};
        boolean[][] t = new boolean[truth.length][3];
        for (int i = 0; i < truth.length; i++) {
            t[i][truth[i]] = true;
        }
        EvaluationReport report = Metrics.evaluate(p, t, false, List.of("a", "b", "c"), 0.25, 0, 1);
        assertEquals(0.25, report.loss());
        assertEquals(4.0 / 6.0, report.accuracy(), 1e-15); // cases 2 and 4 are wrong
        assertEquals(1, report.confusion().count(2, 1));
        assertEquals(1, report.confusion().count(1, 0));
        assertEquals(2, report.confusion().count(2, 2));
        // Class a against the rest: the positive 0.7 beats every negative except 0.6? No: 0.7 > all five.
        assertEquals(1.0, report.classes().get(0).auroc());
        double mean = (report.classes().get(0).auroc() + report.classes().get(1).auroc() + report.classes().get(2).auroc()) / 3;
        assertEquals(mean, report.macroAuroc(), 1e-15);
        assertNull(report.macroAurocInterval());
    }

    @Test
    void macroLeavesOutUndefinedClasses() {
        double[][] p = {{0.9, 0.1}, {0.2, 0.3}, {0.8, 0.6}};
        boolean[][] t = {{true, false}, {false, false}, {true, false}};
        EvaluationReport report = Metrics.evaluate(p, t, true, List.of("x", "y"), 0, 0, 1);
        assertTrue(Double.isNaN(report.classes().get(1).auroc()));
        assertEquals(1.0, report.macroAuroc());
        assertEquals(5.0 / 6.0, report.accuracy(), 1e-15); // only (case 3, y) is wrong at 0.5
        assertNull(report.confusion());
    }

    private static double pairwiseAuroc(double[] s, boolean[] p) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (p[i] && !p[j]) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        return pairs == 0 ? Double.NaN : wins / pairs;
    }

    /** numpy.percentile(values, q), method 'linear'. */
    private static double numpyPercentile(List<Double> sorted, double q) {
        double rank = q / 100 * (sorted.size() - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted.get(lo) + (rank - lo) * (sorted.get(hi) - sorted.get(lo));
    }
}
