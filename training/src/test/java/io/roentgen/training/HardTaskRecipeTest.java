package io.roentgen.training;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.image.Augmentation;
import io.roentgen.engine.EngineSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests with teeth (issue 23): on a small configuration of the hard synthetic task, the recipe of
 * {@code roentgen train --arch small} must beat a validation-AUROC bar, and each deliberate break
 * must fall short of it. Everything goes through the code {@code roentgen train} runs
 * ({@link HardTaskRuns}: the synth writer, a manifest naming its split, {@code TrainingSources},
 * {@code TrainingRun}), seeded, with one PyTorch thread as in every training test, so the numbers
 * below are reproducible on this machine.
 *
 * <p>The configuration: {@code roentgen synth --difficulty hard --contrast 800} at 32 x 32, 500
 * patients, prevalence 0.5 (1,058 images; 40 % of the patients validate: 644 training, 414
 * validation images), {@code small}, 12 epochs of {@code train}'s defaults (AdamW 1e-3, weight
 * decay 1e-4, cosine after one warm-up epoch, class weights auto, {@code --augment mild}, batch
 * 32). 800 HU is below synth's default (900 HU since DECISIONS "hard task's default contrast"), so
 * the bar is tighter than at the default. At the old default, 220 HU, {@code small} learned
 * nothing: best validation AUROC 0.556 in 10 epochs at 32 px and 0.534 in 4 epochs at 64 px (300
 * patients); 600 HU (500 patients) reached 0.783 after 12 epochs at 32 px, still climbing, too
 * slow for a unit test; 1000 HU reached 0.979.
 *
 * <p>Measured (this class, 2026-12-06, 2 quiet AMD EPYC cores), best-epoch validation AUROC (what
 * {@code train} keeps), every run 12 epochs: correct recipe 0.938; learning rate x100 0.507
 * (loss stuck at ln 2 from epoch 3); shuffled training labels 0.484. The bar, 0.80, sits 0.14
 * under the recipe and 0.29 over the best break. A run trains in 10-21 s (the JVM's first run is
 * the slowest); the class takes 57 s ({@code mvn -o -pl training -am verify
 * -Dtest=HardTaskRecipeTest}).
 *
 * <p>Augmentation does not matter on this task, and that is asserted rather than hidden: without
 * it {@code small} reaches 0.968, more than with {@code --augment mild} (likely: the warp's
 * bilinear resampling blurs a lesion of sigma 0.8 px; a convolutional network with global pooling is
 * already equivariant to the shifts, and the lesion is round). Training on lesions in the left
 * half of the image only (validation on both; {@code HardTaskRuns.Split}) did not make flips
 * matter either: 0.828 with mild augmentation, 0.927 without. So "no augmentation" is not a
 * break here.
 */
class HardTaskRecipeTest {
    static final HardTaskRuns.Task TASK = new HardTaskRuns.Task(32, 800, 500, 23);
    static final long SEED = 23;
    static final int EPOCHS = 12;
    /** Between the correct recipe (0.938) and the best break (0.507). */
    static final double BAR = 0.80;
    static final HardTaskRuns.Recipe CORRECT = new HardTaskRuns.Recipe("correct recipe", 1e-3, Augmentation.mild(), EPOCHS);

    @TempDir
    static Path temp;
    static Path synthManifest;

    @BeforeAll
    static void writeTheTask() throws Exception {
        EngineSettings.fromEnvironment().apply();
        synthManifest = HardTaskRuns.write(temp.resolve("synth"), TASK);
    }

    @Test
    void theCorrectRecipeBeatsTheBar() throws Exception {
        HardTaskRuns.Outcome outcome = train(CORRECT, false);
        assertTrue(outcome.bestAuroc() >= BAR, "the correct recipe must beat the bar " + BAR + ": " + outcome.describe());
    }

    @Test
    void aHundredTimesTheLearningRateFallsShort() throws Exception {
        HardTaskRuns.Outcome outcome = train(new HardTaskRuns.Recipe("learning rate x100", 100 * CORRECT.learningRate(),
                CORRECT.augmentation(), EPOCHS), false);
        // NaN (a diverged run) falls short too
        assertFalse(outcome.bestAuroc() >= BAR, "a learning rate 100x too high must fail the bar " + BAR + ": "
                + outcome.describe());
    }

    @Test
    void shuffledTrainingLabelsFallShort() throws Exception {
        HardTaskRuns.Outcome outcome = train(new HardTaskRuns.Recipe("shuffled training labels", CORRECT.learningRate(),
                CORRECT.augmentation(), EPOCHS), true);
        assertFalse(outcome.bestAuroc() >= BAR, "shuffled training labels must fail the bar " + BAR + ": " + outcome.describe());
    }

    /** Not a break on this task (see the class comment): without augmentation the bar is beaten too. */
    @Test
    void withoutAugmentationTheTaskIsLearnedToo() throws Exception {
        HardTaskRuns.Outcome outcome = train(new HardTaskRuns.Recipe("no augmentation", CORRECT.learningRate(),
                Augmentation.off(), EPOCHS), false);
        assertTrue(outcome.bestAuroc() >= BAR, "this task does not need augmentation (0.968 measured): " + outcome.describe());
    }

    private static HardTaskRuns.Outcome train(HardTaskRuns.Recipe recipe, boolean shuffledLabels) throws Exception {
        String name = recipe.name().replaceAll("[^a-z0-9]+", "-");
        Path manifest = HardTaskRuns.splitManifest(synthManifest, TASK.size(),
                new HardTaskRuns.Split(name, SEED, shuffledLabels, false));
        HardTaskRuns.Outcome outcome = HardTaskRuns.train(manifest, temp.resolve("run-" + name), TASK, recipe, SEED);
        System.out.println("hard task, " + outcome.describe());
        return outcome;
    }
}
