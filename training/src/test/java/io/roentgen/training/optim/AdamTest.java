package io.roentgen.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.roentgen.engine.EngineSettings;
import io.roentgen.training.run.TrainingConfig;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Adam and AdamW follow PyTorch's update rule ({@code torch.optim.Adam}/{@code AdamW},
 * single-tensor path), checked against the rule written out in double precision over several
 * steps: a 2-D weight (decayed) and a bias (never decayed), gradients of mixed sign and scale.
 */
class AdamTest {
    private static final double LR = 0.01;
    private static final double WD = 0.1;

    @BeforeAll
    static void engine() {
        EngineSettings.fromEnvironment().apply();
    }

    @ParameterizedTest
    @EnumSource(value = TrainingConfig.OptimizerKind.class, names = {"ADAM", "ADAMW"})
    void updatesFollowPyTorchsRule(TrainingConfig.OptimizerKind kind) {
        boolean decoupled = kind == TrainingConfig.OptimizerKind.ADAMW;
        Random random = new Random(3);
        double[][] start = {values(random, 12), values(random, 4)};
        Shape[] shapes = {new Shape(3, 4), new Shape(4)};
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            List<Parameter> parameters = List.of(parameter(manager, "w", start[0], shapes[0]),
                    parameter(manager, "b", start[1], shapes[1]));
            double[][] expected = {start[0].clone(), start[1].clone()};
            double[][][] moments = {{new double[12], new double[12]}, {new double[4], new double[4]}};
            TrainingConfig config = TrainingConfig.builder().optimizer(kind).weightDecay(WD).build();
            try (ParameterOptimizer adam = ParameterOptimizer.create(config, manager)) {
                for (int t = 1; t <= 5; t++) {
                    double[][] gradients = {values(random, 12), values(random, 4)};
                    try (NDScope scope = new NDScope()) {
                        adam.step(parameters, List.of(array(manager, gradients[0], shapes[0]),
                                array(manager, gradients[1], shapes[1])), (float) LR);
                        scope.suppressNotUsedWarning();
                    }
                    for (int p = 0; p < 2; p++) {
                        reference(expected[p], gradients[p], moments[p], t, p == 0 ? WD : 0, decoupled);
                    }
                }
            }
            for (int p = 0; p < 2; p++) {
                float[] actual = parameters.get(p).getArray().toFloatArray();
                for (int i = 0; i < actual.length; i++) {
                    assertEquals(expected[p][i], actual[i], 2e-6 * Math.max(1, Math.abs(expected[p][i])),
                            kind + " parameter " + p + " element " + i);
                }
            }
        }
    }

    /** torch.optim._functional adam / adamw for one tensor, in double precision. */
    private static void reference(double[] w, double[] grad, double[][] moments, int t, double wd, boolean decoupled) {
        double c1 = 1 - Math.pow(0.9, t);
        double c2 = 1 - Math.pow(0.999, t);
        for (int i = 0; i < w.length; i++) {
            double g = grad[i];
            if (decoupled) {
                w[i] *= 1 - LR * wd;
            } else {
                g += wd * w[i];
            }
            moments[0][i] = 0.9 * moments[0][i] + 0.1 * g;
            moments[1][i] = 0.999 * moments[1][i] + 0.001 * g * g;
            double denominator = Math.sqrt(moments[1][i]) / Math.sqrt(c2) + 1e-8;
            w[i] -= LR / c1 * moments[0][i] / denominator;
        }
    }

    private static double[] values(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian() * Math.pow(10, random.nextInt(3) - 1);
        }
        return v;
    }

    private static NDArray array(NDManager manager, double[] values, Shape shape) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return manager.create(f, shape);
    }

    private static Parameter parameter(NDManager manager, String name, double[] values, Shape shape) {
        // Round the start to float so that the reference starts where the optimizer does.
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) values[i];
        }
        Parameter parameter = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        parameter.setArray(array(manager, values, shape));
        return parameter;
    }
}
