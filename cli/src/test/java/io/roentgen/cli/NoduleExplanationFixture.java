package io.roentgen.cli;

import ai.djl.nn.Block;
import io.roentgen.datasets.DicomDataset;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.datasets.split.PatientSplitter;
import io.roentgen.datasets.split.SplitFractions;
import io.roentgen.datasets.split.Subset;
import io.roentgen.datasets.synth.SynthResult;
import io.roentgen.datasets.synth.SynthSpec;
import io.roentgen.datasets.synth.SyntheticCollection;
import io.roentgen.dicom.image.Normalization;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.training.TrainingRun;
import io.roentgen.training.export.BundleExporter;
import io.roentgen.training.listen.TrainingListener;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The synth nodule collection and training recipe that the explanation tests share
 * ({@link ExplanationFaithfulnessTest} at 64 px, {@link Resnet18PointingIT} at 224 px): 200
 * patients (seed 21, prevalence 0.5), one patient split, and a finished 6-epoch cosine schedule
 * (a half-trained model is unsure and misses, docs/DECISIONS.md).
 */
final class NoduleExplanationFixture {
    /**
     * The whole cosine schedule, to a learning rate of 0. Stopping it at validation AUROC 0.99
     * (epoch 3 of 8, the learning rate still near its peak) left a `small` that ranked well but was
     * unsure (mean p(nodule) 0.33 on the positives) and whose Grad-CAM maximum sat on the image's
     * border for 6 of 42 positives (pointing 0.857); a finished 6-epoch schedule scores 0.72 and
     * points at every nodule (docs/DECISIONS.md 94).
     */
    static final int EPOCHS = 6;

    /** The split collection, where synth recorded each nodule, and the preprocessing at {@code size}. */
    record Collection(Manifest manifest, Path synthManifest, PreprocessingSpec spec, int size) {}

    private NoduleExplanationFixture() {}

    static Collection write(Path dir, int size) throws Exception {
        SynthResult synth = SyntheticCollection.write(dir, SynthSpec.defaults(200).withSize(size)
                .withClasses(List.of("normal", "nodule"), 0.5).withSeed(21));
        Manifest manifest = PatientSplitter.trainValidationTest(Manifest.readCsv(synth.manifest(), ManifestOptions.defaults()),
                new SplitFractions(0.2, 0.2), 5).toManifest();
        PreprocessingSpec spec = PreprocessingSpec.standard(size, 1)
                .withNormalization(new Normalization(List.of(0.45f), List.of(0.25f)));
        return new Collection(manifest, synth.manifest(), spec, size);
    }

    /**
     * Trains {@code arch} on the collection; writes the bundle to {@code work/bundle} (returned) and a
     * copy with shuffled weights to {@code work/shuffled}. {@code listener} may be null.
     */
    static Path train(Collection c, String arch, Path work, TrainingListener listener) throws Exception {
        DicomDataset train = DicomDataset.builder().manifest(c.manifest()).subset(Subset.TRAIN).preprocessing(c.spec()).build();
        DicomDataset validation = DicomDataset.builder().manifest(c.manifest()).subset(Subset.VALIDATION)
                .preprocessing(c.spec()).build();
        ArchitectureSpec architecture = new ArchitectureSpec(arch, 1, 2, c.size(), false);
        TrainingConfig config = TrainingConfig.builder().epochs(EPOCHS).batchSize(16).learningRate(1e-3)
                .schedule(TrainingConfig.ScheduleKind.COSINE).warmupEpochs(0.5).seed(3)
                .numClasses(2).labelNames(c.manifest().classNames())
                .loaderWorkers(2).prefetchBatches(2).bootstrapResamples(50).build();
        TrainingRun.Builder run = TrainingRun.builder().config(config).model(() -> build(architecture))
                .trainData(train).validationData(validation).runDirectory(work.resolve("run"));
        if (listener != null) {
            run.listener(listener);
        }
        try (TrainingResult result = run.build().run()) {
            System.out.println(arch + ": best validation AUROC " + result.bestMacroAuroc() + " at epoch " + result.bestEpoch());
            Path bundle = BundleExporter.writer("nodules", result, config, architecture, c.spec(), "test", "validation")
                    .writeDirectory(work.resolve("bundle"));
            ShuffledWeights.shuffle(result.block(), new Random(99));
            BundleExporter.writer("shuffled", result, config, architecture, c.spec(), "test", "validation")
                    .writeDirectory(work.resolve("shuffled"));
            return bundle;
        }
    }

    private static Block build(ArchitectureSpec spec) {
        try {
            return Architectures.build(spec);
        } catch (io.roentgen.engine.RoentgenException e) {
            throw new IllegalStateException(e);
        }
    }
}
