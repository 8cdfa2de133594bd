package io.roentgen.models.arch;

import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;

/**
 * PyTorch's initialisation schemes expressed with DJL initializers. DJL's Xavier initializer
 * draws with standard deviation (or bound) {@code sqrt(magnitude / fan)}, with the fans computed
 * exactly as {@code torch.nn.init} does (fan_in = size(1) x kernel area, fan_out = size(0) x kernel
 * area, also for grouped convolutions), so the right magnitude reproduces each scheme exactly.
 */
final class TorchInit {

    /** {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")}: N(0, sqrt(2 / fan_out)). */
    static final Initializer KAIMING_NORMAL_FAN_OUT =
            new XavierInitializer(RandomType.GAUSSIAN, FactorType.OUT, 2f);

    /** {@code kaiming_normal_()} with its defaults (fan_in, a = 0): N(0, sqrt(2 / fan_in)). */
    static final Initializer KAIMING_NORMAL_FAN_IN =
            new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 2f);

    /**
     * PyTorch's default weight init for Conv and Linear, {@code kaiming_uniform_(a = sqrt(5))}:
     * U(-b, b) with b = sqrt(6 / ((1 + 5) fan_in)) = 1 / sqrt(fan_in).
     */
    static final Initializer DEFAULT_WEIGHT =
            new XavierInitializer(RandomType.UNIFORM, FactorType.IN, 1f);

    private TorchInit() {}

    /** PyTorch's default bias init for a layer whose weight has the given fan_in: U(±1/sqrt(fan_in)). */
    static Initializer defaultBias(long fanIn) {
        return new UniformInitializer((float) (1.0 / Math.sqrt(fanIn)));
    }

    /** {@code normal_(0, std)}. */
    static Initializer normal(float std) {
        return new NormalInitializer(std);
    }
}
