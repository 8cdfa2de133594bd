package io.roentgen.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.datasets.DicomDataset;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.Normalization;
import io.roentgen.datasets.split.PatientSplitter;
import io.roentgen.datasets.split.SplitFractions;
import io.roentgen.datasets.split.Subset;
import io.roentgen.datasets.synth.SynthResult;
import io.roentgen.datasets.synth.SynthSpec;
import io.roentgen.datasets.synth.SyntheticCollection;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.training.StopSignal;
import io.roentgen.training.TrainingRun;
import io.roentgen.training.listen.TrainingListener;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synthetic collection is learnable: the zoo's {@code small} CNN, trained on the CPU on a few
 * hundred 64 x 64 synth images through {@link DicomDataset}, reaches validation AUROC >= 0.95.
 */
class SynthLearnabilityTest {
    private static final double TARGET_AUROC = 0.95;

    @TempDir
    Path temp;

    @BeforeAll
    static void engine() {
        EngineSettings.fromEnvironment().apply();
    }

    @Test
    void aSmallCnnLearnsTheSyntheticFinding() throws Exception {
        SynthResult synth = SyntheticCollection.write(temp.resolve("synth"), SynthSpec.defaults(160));
        Manifest manifest = PatientSplitter.trainValidationTest(
                Manifest.readCsv(synth.manifest(), ManifestOptions.defaults()), new SplitFractions(0.25, 0), 1).toManifest();
        // Centred inputs: the window output is about [0.2, 1] with mean 0.45.
        PreprocessingSpec spec = PreprocessingSpec.standard(64, 1)
                .withNormalization(new Normalization(List.of(0.45f), List.of(0.25f)));
        DicomDataset train = DicomDataset.builder().manifest(manifest).subset(Subset.TRAIN).preprocessing(spec).build();
        DicomDataset validation = DicomDataset.builder().manifest(manifest).subset(Subset.VALIDATION).preprocessing(spec).build();
        ArchitectureSpec architecture = new ArchitectureSpec("small", 1, 2, 64, false);
        TrainingConfig config = TrainingConfig.builder().epochs(30).batchSize(16).learningRate(1e-3)
                .schedule(TrainingConfig.ScheduleKind.COSINE).warmupEpochs(0.5).seed(3)
                .classWeighting(TrainingConfig.ClassWeighting.AUTO)
                .numClasses(2).labelNames(manifest.classNames())
                .loaderWorkers(2).prefetchBatches(2).bootstrapResamples(100).build();
        // Stops as soon as the bar is reached: the epoch cap only bounds a failing run.
        StopSignal stop = new StopSignal();
        TrainingListener stopWhenLearned = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEnd end) {
                if (end.record().macroAuroc() >= TARGET_AUROC) {
                    stop.requestStop();
                }
            }
        };
        try (TrainingResult result = TrainingRun.builder().config(config).model(() -> build(architecture))
                .trainData(train).validationData(validation).runDirectory(temp.resolve("run"))
                .listener(stopWhenLearned).stopSignal(stop).build().run()) {
            List<String> curve = result.history().stream()
                    .map(e -> String.format("epoch %d: loss %.3f, AUROC %.3f", e.epoch(), e.trainLoss(), e.macroAuroc())).toList();
            System.out.println("synth learnability: " + curve);
            assertTrue(result.bestMacroAuroc() >= TARGET_AUROC, "validation AUROC " + result.bestMacroAuroc() + ": " + curve);
        }
    }

    private static ai.djl.nn.Block build(ArchitectureSpec spec) {
        try {
            return Architectures.build(spec);
        } catch (io.roentgen.engine.RoentgenException e) {
            throw new IllegalStateException(e);
        }
    }
}
