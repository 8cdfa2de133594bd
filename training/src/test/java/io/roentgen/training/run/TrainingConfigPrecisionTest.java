package io.roentgen.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.engine.torch.Precision;
import io.roentgen.training.precision.LossScaler;
import org.junit.jupiter.api.Test;

/** The training precision in the config: part of what a resume must match; absent in older checkpoints means fp32. */
class TrainingConfigPrecisionTest {

    @Test
    void aConfigWrittenBeforeMixedPrecisionReadsAsFp32() {
        TrainingConfig current = TrainingConfig.builder().seed(9).build();
        JsonObject old = JsonParser.parseString(current.toJson()).getAsJsonObject();
        old.remove("precision");
        old.remove("initialLossScale");
        TrainingConfig parsed = TrainingConfig.fromJson(old.toString());
        assertEquals(Precision.FP32, parsed.precision());
        assertEquals(LossScaler.INITIAL_SCALE, parsed.initialLossScale());
        assertEquals(current, parsed);
    }

    @Test
    void anotherPrecisionDoesNotTrainLikeThisOne() {
        TrainingConfig fp32 = TrainingConfig.builder().build();
        TrainingConfig bf16 = fp32.toBuilder().precision(Precision.BF16).build();
        assertFalse(fp32.trainsLike(bf16));
        assertEquals(Precision.BF16, TrainingConfig.fromJson(bf16.toJson()).precision());
        assertThrows(IllegalArgumentException.class, () -> fp32.toBuilder().initialLossScale(0).build());
    }
}
