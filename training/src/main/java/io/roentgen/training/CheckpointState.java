package io.roentgen.training;

import io.roentgen.training.precision.LossScaler;
import io.roentgen.training.run.EpochRecord;
import io.roentgen.training.run.TrainingConfig;
import java.util.List;

/**
 * Everything besides the arrays that a run needs to continue exactly where it stopped; written
 * as checkpoint.json next to the parameters and the optimizer buffers.
 *
 * <p>Random state is not saved but derived: the shuffle of epoch e uses seed (config seed,
 * "shuffle", e), and before optimizer step s the engine is re-seeded with (config seed, "step", s)
 * (dropout, random augmentation on the engine's generator). The seeds are recorded for reading.
 *
 * @param epochsCompleted epochs whose training and validation finished
 * @param stepsInEpoch steps done in epoch {@code epochsCompleted + 1}; 0 for an epoch checkpoint
 * @param partialLossSum sum of batch loss x batch size over those steps (to finish the epoch's mean)
 * @param lossScale fp16's loss scaler state; null in fp32 and bf16 (and in checkpoints from before it)
 */
public record CheckpointState(
        int formatVersion,
        TrainingConfig config,
        int epochsCompleted,
        int stepsInEpoch,
        long globalStep,
        long optimizerUpdates,
        double learningRate,
        long shuffleSeedOfCurrentEpoch,
        int engineSeedOfNextStep,
        int bestEpoch,
        double bestMacroAuroc,
        int epochsWithoutImprovement,
        double partialLossSum,
        long partialImages,
        double partialSeconds,
        double[] classWeights,
        List<EpochRecord> history,
        LossScaler.State lossScale) {

    public static final int FORMAT_VERSION = 1;

    /** Whether this checkpoint ends an epoch (rather than being a stop in the middle of one). */
    public boolean atEpochEnd() {
        return stepsInEpoch == 0;
    }
}
