package io.roentgen.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.translate.NoopTranslator;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;

import java.util.Arrays;
import java.util.Locale;

/**
 * Measures ResNet-18 inference latency (1x1x224x224, batch 1, CPU) under the thread settings this
 * JVM was started with, to choose {@link EngineSettings}' defaults. One setting per JVM: PyTorch
 * fixes its thread pools when the engine loads. Run by benchmarks/scripts/thread-defaults.sh.
 *
 * <p>Arguments: {@code [--djl-defaults] [iterations]}. With --djl-defaults nothing is applied and
 * DJL/PyTorch choose; otherwise {@link EngineSettings#fromEnvironment()} is applied.
 */
public final class ThreadSettingsBench {
    private ThreadSettingsBench() {}

    public static void main(String[] args) throws Exception {
        boolean djlDefaults = Arrays.asList(args).contains("--djl-defaults");
        int iterations = args.length > 0 && !args[args.length - 1].startsWith("--")
                ? Integer.parseInt(args[args.length - 1]) : 50;
        System.setProperty("ai.djl.offline", "true");
        String label = djlDefaults ? "DJL defaults" : EngineSettings.fromEnvironment().apply().toString();
        Block resnet = Architectures.build(ArchitectureSpec.of("resnet18", 1, 2));
        try (Model model = Model.newInstance("resnet", Device.cpu(), "PyTorch")) {
            model.setBlock(resnet);
            try (NDManager manager = model.getNDManager().newSubManager()) {
                resnet.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1, 224, 224));
                try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
                    NDArray x = manager.randomNormal(new Shape(1, 1, 224, 224));
                    double[] ms = new double[iterations];
                    for (int i = 0; i < 10; i++) {
                        predictor.predict(new NDList(x)).close();
                    }
                    for (int i = 0; i < iterations; i++) {
                        long t0 = System.nanoTime();
                        predictor.predict(new NDList(x)).close();
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    Arrays.sort(ms);
                    System.out.printf(Locale.ROOT, "%-55s median %7.2f ms  p10 %7.2f  p90 %7.2f%n", label,
                            ms[iterations / 2], ms[iterations / 10], ms[iterations * 9 / 10]);
                }
            }
        }
    }

}
