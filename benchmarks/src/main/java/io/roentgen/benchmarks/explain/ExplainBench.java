package io.roentgen.benchmarks.explain;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.roentgen.benchmarks.Stats;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.Classifier;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.Explainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Explanations/s against classification images/s for one architecture, batch 1, on the CPU:
 * a seeded, untrained bundle (speed does not depend on the weights), the classifier's inference
 * form for scores, the explainer's trained form with one backward pass through the head.
 *
 * <p>usage: {@code ExplainBench ARCH SIZE CALLS [REPETITIONS]}; prints one line per measure,
 * medians (min-max) over repetitions, after 5 warm-up calls each.
 */
public final class ExplainBench {
    private static final int WARM_UP = 5;

    private ExplainBench() {}

    public static void main(String[] args) throws Exception {
        String arch = args[0];
        int size = Integer.parseInt(args[1]);
        int calls = Integer.parseInt(args[2]);
        int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        EngineSettings.fromEnvironment().apply();
        Path dir = Files.createTempDirectory("explain-bench");
        Path bundle = write(dir.resolve(arch), arch, size);
        FloatImage image = noise(size);
        double[] classify = new double[repetitions];
        double[][] explain = new double[CamMethod.values().length][repetitions];
        try (Classifier classifier = ModelBundle.load(bundle, Device.cpu());
             Explainer explainer = Explainer.load(bundle, Device.cpu(), null)) {
            for (int r = 0; r < repetitions; r++) {
                classify[r] = rate(calls, () -> classifier.predict(List.of(image)));
                for (CamMethod m : CamMethod.values()) {
                    explain[m.ordinal()][r] = rate(calls, () -> explainer.explain(image, m, null));
                }
            }
            System.out.printf(Locale.ROOT, "%s %dx%d, batch 1, %d calls x %d repetitions, layer %s%n", arch, size, size, calls,
                    repetitions, explainer.layer());
        }
        print("classify images/s", Stats.spread(classify));
        for (CamMethod m : CamMethod.values()) {
            print(m.id() + " explanations/s", Stats.spread(explain[m.ordinal()]));
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static double rate(int calls, Call call) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            call.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            call.run();
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }

    private static void print(String what, Stats.Spread s) {
        System.out.printf(Locale.ROOT, "%-28s %.1f (%.1f-%.1f)%n", what, s.median(), s.min(), s.max());
    }

    private static Path write(Path dir, String arch, int size) throws Exception {
        ArchitectureSpec spec = new ArchitectureSpec(arch, 1, 2, size, false);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(1);
            Block block = Architectures.build(spec);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, size, size));
            return ModelBundle.writer().name(arch).architecture(spec).block(block)
                    .preprocessing(PreprocessingSpec.standard(size, 1)).labels(List.of("normal", "finding"))
                    .thresholds(new float[] {0.5f, 0.5f}).build().writeDirectory(dir);
        }
    }

    private static FloatImage noise(int size) {
        SplittableRandom random = new SplittableRandom(3);
        float[] data = new float[size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return new FloatImage(data, 1, size, size);
    }
}
