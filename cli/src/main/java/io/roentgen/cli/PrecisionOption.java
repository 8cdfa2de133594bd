package io.roentgen.cli;

import ai.djl.Device;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.Precision;
import io.roentgen.models.Classifier;
import io.roentgen.models.precision.AgreementCheck;
import io.roentgen.models.precision.PrecisionChoice;
import picocli.CommandLine.Option;

/**
 * {@code --precision} of the inference commands, mixed in with {@code @Mixin}: the loaded fp32
 * classifier is put into bf16 or fp16 (libtorch's autocast) once it agreed with fp32 on a
 * fixed batch; a precision that does not is refused in one line.
 */
final class PrecisionOption {
    @Option(names = "--precision", paramLabel = "fp32|bf16|fp16|auto", description = "Number format of the forward "
            + "pass (default ${DEFAULT-VALUE}); auto: bf16 where the CPU has AMX or AVX512-BF16 or the GPU compute "
            + "capability 8.0+, else fp32. A reduced precision must agree with fp32 on a fixed batch at load.")
    String precision = "fp32";

    /** The flag resolved for {@code device}; a usage error for an unknown value. */
    PrecisionChoice choice(Device device) throws RoentgenException {
        try {
            return PrecisionChoice.resolve(precision, device);
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage("--precision: " + e.getMessage());
        }
    }

    /** {@code classifier} in the chosen precision, after the agreement check; closing it closes the original. */
    Classifier apply(Classifier classifier, Device device) throws RoentgenException {
        Classifier result;
        PrecisionChoice choice;
        try {
            choice = choice(device);
            result = AgreementCheck.apply(classifier, device, choice);
        } catch (RoentgenException | RuntimeException e) {
            classifier.close();
            throw e;
        }
        if (choice.precision().isReduced()) {
            System.err.println("roentgen: precision " + choice.describe());
        }
        return result;
    }

    /** A training precision (fp32, bf16 or fp16: no auto, training has no agreement check); a usage error else. */
    static Precision parseTraining(String flag) throws RoentgenException {
        try {
            return Precision.parse(flag);
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage("--precision: " + e.getMessage());
        }
    }
}
