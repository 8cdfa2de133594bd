package io.roentgen.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.Explainer;
import io.roentgen.models.explain.Explanation;
import io.roentgen.training.listen.TrainingListener;
import io.roentgen.training.run.EpochRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * resnet18's maps point at the finding, at the size the bar was set for: 224 x 224, where its
 * default target layer {@code layer4} is 7 x 7 (at the faithfulness test's 64 px it is 2 x 2 and
 * cannot point, docs/DECISIONS.md). Trained with {@link ExplanationFaithfulnessTest}'s recipe on the
 * same synth collection written at 224 px, Grad-CAM and Grad-CAM++ must put the map's maximum
 * within a nodule widened by 15 px for at least 90 % of the test split's positives at
 * {@code layer3} (14 x 14), stay at 0.8 or more at the default {@code layer4}, and the network with
 * shuffled weights must not point at either.
 *
 * <p>Why the bar is asserted at {@code layer3}: at {@code layer4} the margin is one or two
 * positives (43 and 42 of 46 in four trainings), the misses being positives with two or three
 * nodules whose 32-px cell lies between them, and training with two PyTorch threads is not always
 * repeatable (one of five runs took another path from the first epoch on), so 0.9 there would fail
 * CI by chance. {@code layer3}'s 16-px cells separate such nodules (1.000 measured).
 *
 * <p>Training resnet18 at 224 px takes minutes (about 12 times the 64-px run), too long for
 * {@code mvn verify}: failsafe's default run excludes this class (cli/pom.xml) and {@code .ci/run}
 * runs it on its own with {@code -Dit.test=Resnet18PointingIT}.
 */
class Resnet18PointingIT {
    private static final int SIZE = 224;
    /** The bar, asserted at {@code layer3} (14 x 14), where it has margin (1.000 measured). */
    private static final double POINTING_BAR = 0.9;
    /**
     * The default layer, {@code layer4} (7 x 7), measured 0.913-0.935 (42-43 of 46) in four
     * trainings: its 32-px cells put the maximum between two nodules that share a cell. One more
     * miss than the worst run would fail 0.9, and training with two threads is not repeatable on
     * every machine, so 0.9 there would make CI fail by chance; 0.8 still fails a map that stops
     * pointing (shuffled weights: 0.15-0.48).
     */
    private static final double LAYER4_FLOOR = 0.8;
    /**
     * Shuffled weights pointed 0.35 / 0.15 and 0.48 / 0.39 (Grad-CAM / Grad-CAM++) in two trainings:
     * the nodules are large (radius 7-13 % of the width, plus 15 px), so a map that ignores the
     * weights still hits up to half of them. 0.7 leaves room above that and below the bar.
     */
    private static final double SHUFFLED_BAR = 0.7;

    @TempDir
    static Path temp;

    @BeforeAll
    static void engine() {
        EngineSettings.fromEnvironment().apply();
    }

    /** A hang guard, not a budget: 3.6 min on 2 quiet cores, 12.6 min shared with other builds (.ci/run gives the JVM 25). */
    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void mapsOfATrainedResnet18PointAtTheNodules() throws Exception {
        NoduleExplanationFixture.Collection collection = NoduleExplanationFixture.write(temp.resolve("synth"), SIZE);
        long t0 = System.nanoTime();
        Path bundle = NoduleExplanationFixture.train(collection, "resnet18", temp, new EpochPrinter());
        long t1 = System.nanoTime();
        LesionPositives positives = LesionPositives.of(collection.manifest(), collection.synthManifest(), collection.spec(), "nodule");
        assertTrue(positives.images().size() >= 20, "too few test positives: " + positives.images().size());
        double tolerance = PointingGame.tolerance(SIZE);
        List<String> report = new ArrayList<>();
        double[] layer3 = pointing(bundle, "layer3", positives, tolerance, report);
        double[] layer4 = pointing(bundle, null, positives, tolerance, report);
        double[] shuffled = pointing(temp.resolve("shuffled"), "layer3", positives, tolerance, report);
        double[] shuffled4 = pointing(temp.resolve("shuffled"), null, positives, tolerance, report);
        System.out.printf(Locale.ROOT, "resnet18 pointing: training %.0f s, explaining %.0f s%n", (t1 - t0) / 1e9,
                (System.nanoTime() - t1) / 1e9);
        System.out.println("resnet18 pointing, " + positives.images().size() + " positives: " + report);
        for (CamMethod method : CamMethod.values()) {
            int m = method.ordinal();
            assertTrue(layer3[m] >= POINTING_BAR, "pointing game at layer3: " + report);
            assertTrue(layer4[m] >= LAYER4_FLOOR, "pointing game at layer4: " + report);
            assertTrue(shuffled[m] < SHUFFLED_BAR && shuffled4[m] < SHUFFLED_BAR,
                    "shuffled weights still point at the nodules: " + report);
        }
    }

    /** Pointing per {@link CamMethod} at {@code layer} (null: the default, layer4); one report line each. */
    private static double[] pointing(Path bundle, String layer, LesionPositives positives, double tolerance,
            List<String> report) throws Exception {
        double[] pointing = new double[CamMethod.values().length];
        try (Explainer explainer = Explainer.load(bundle, Device.cpu(), layer)) {
            for (CamMethod method : CamMethod.values()) {
                List<Explanation> explanations = explainer.explain(positives.images(), method, "nodule");
                pointing[method.ordinal()] = PointingGame.score(explanations, positives.lesions(), tolerance);
                report.add(String.format(Locale.ROOT, "%s %s at %s (%d x %d): pointing %.3f, mean p(nodule) %.3f",
                        bundle.getFileName(), method.id(), explainer.layer(), explanations.get(0).raw().height(),
                        explanations.get(0).raw().width(), pointing[method.ordinal()],
                        explanations.stream().mapToDouble(e -> e.scores().probability("nodule")).average().orElse(0)));
            }
        }
        return pointing;
    }

    /** One line per epoch: a slow run shows where its time went. */
    private static final class EpochPrinter implements TrainingListener {
        @Override
        public void onEpochEnd(EpochEnd end) {
            EpochRecord r = end.record();
            System.out.printf(Locale.ROOT, "resnet18 pointing: epoch %d, %.0f s (%.1f images/s), train loss %.4f, validation AUROC %.4f%n",
                    r.epoch(), r.seconds(), r.imagesPerSecond(), r.trainLoss(), r.macroAuroc());
        }
    }
}
