package io.roentgen.training.run;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.roentgen.training.metrics.EvaluationReport;

import java.nio.file.Path;
import java.util.List;

/**
 * How a run ended. {@link #block()} holds the parameters of the best epoch (highest validation
 * macro AUROC); they live in native memory that {@link #close()} frees, unless the caller gave
 * the run its own manager.
 */
public final class TrainingResult implements AutoCloseable {
    private final int bestEpoch;
    private final List<EpochRecord> history;
    private final boolean stopped;
    private final boolean earlyStopped;
    private final Path bestCheckpoint;
    private final Path lastCheckpoint;
    private final EvaluationReport bestValidation;
    private final Block block;
    private final NDManager ownedManager;

    /** Built by {@code TrainingRun} when a run ends; public only because the run sits in the package above. */
    public TrainingResult(int bestEpoch, List<EpochRecord> history, boolean stopped, boolean earlyStopped,
                   Path bestCheckpoint, Path lastCheckpoint, EvaluationReport bestValidation,
                   Block block, NDManager ownedManager) {
        this.bestEpoch = bestEpoch;
        this.history = List.copyOf(history);
        this.stopped = stopped;
        this.earlyStopped = earlyStopped;
        this.bestCheckpoint = bestCheckpoint;
        this.lastCheckpoint = lastCheckpoint;
        this.bestValidation = bestValidation;
        this.block = block;
        this.ownedManager = ownedManager;
    }

    /** 1-based; 0 when no epoch finished (stopped during the first). */
    public int bestEpoch() { return bestEpoch; }

    public double bestMacroAuroc() {
        return bestEpoch == 0 ? Double.NaN : history.get(bestEpoch - 1).macroAuroc();
    }

    /** One record per finished epoch, resumed runs included. */
    public List<EpochRecord> history() { return history; }

    /** A stop was requested; the run can be resumed from {@link #lastCheckpoint()}. */
    public boolean stopped() { return stopped; }

    public boolean earlyStopped() { return earlyStopped; }

    /** The checkpoint folder of the best epoch, or null. */
    public Path bestCheckpoint() { return bestCheckpoint; }

    /** The checkpoint written last (where a resume continues), or null. */
    public Path lastCheckpoint() { return lastCheckpoint; }

    /**
     * Validation metrics of the best epoch, with bootstrap 95% intervals for the AUROCs; null if
     * the run stopped before the end or no epoch finished.
     */
    public EvaluationReport bestValidation() { return bestValidation; }

    /** The model with the best epoch's parameters (the last parameters if the run was stopped). */
    public Block block() { return block; }

    @Override
    public void close() {
        if (ownedManager != null) {
            ownedManager.close();
        }
    }
}
