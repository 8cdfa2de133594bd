package io.roentgen.training;

import ai.djl.training.tracker.Tracker;
import io.roentgen.training.run.TrainingConfig;

/**
 * The learning rate per optimizer step: a linear warm-up from base/warmup to base over the
 * warm-up epochs, then cosine decay towards zero at the end, step decay (times gamma every
 * {@code stepEpochs}) or constant. By step rather than by epoch, so the rate moves smoothly within
 * long epochs; a pure function of the step, so resume needs only the step count.
 *
 * <p>Each equals PyTorch's {@code lr_scheduler} stepped once per optimizer step, as torchvision's
 * reference recipe composes them (PytorchStepParityTest checks it value by value): with W warm-up
 * steps, {@code SequentialLR([LinearLR(start_factor=1/W, total_iters=W-1), main], milestones=[W])}
 * where main is {@code CosineAnnealingLR(T_max=total-W)}, {@code StepLR(step_size=stepEpochs*
 * stepsPerEpoch, gamma)} or constant. The main schedule counts its steps from the end of the
 * warm-up (the step decay used to count from step 0, so its first drop came W steps early).
 */
public final class LearningRateSchedule implements Tracker {
    private final TrainingConfig.ScheduleKind kind;
    private final double base;
    private final long warmupSteps;
    private final long totalSteps;
    private final long stepsPerEpoch;
    private final int stepEpochs;
    private final double gamma;

    public LearningRateSchedule(TrainingConfig config, long stepsPerEpoch) {
        this.kind = config.schedule();
        this.base = config.learningRate();
        this.stepsPerEpoch = Math.max(1, stepsPerEpoch);
        this.totalSteps = config.epochs() * this.stepsPerEpoch;
        this.warmupSteps = Math.round(config.warmupEpochs() * this.stepsPerEpoch);
        this.stepEpochs = config.stepEpochs();
        this.gamma = config.stepGamma();
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) rate(numUpdate);
    }

    /** The rate for the optimizer step that follows {@code step} completed steps. */
    public double rate(long step) {
        if (step < warmupSteps) {
            return base * (step + 1) / warmupSteps;
        }
        return switch (kind) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(gamma, (double) ((step - warmupSteps) / (stepsPerEpoch * stepEpochs)));
            case COSINE -> {
                double span = Math.max(1, totalSteps - warmupSteps);
                double progress = Math.min(1.0, (step - warmupSteps) / span);
                yield base * 0.5 * (1 + Math.cos(Math.PI * progress));
            }
        };
    }
}
