/**
 * Roentgen's training engine: {@link io.roentgen.training.TrainingRun} trains any DJL
 * {@link ai.djl.nn.Block} on any {@link ai.djl.training.dataset.RandomAccessDataset} of
 * (float32 image, label) and writes {@code runs/NAME/}: {@code checkpoints/epoch-NNN/},
 * {@code metrics.jsonl}, {@code learning-curves.png}, {@code roc.png}.
 *
 * <h2>One step</h2>
 * {@link io.roentgen.training.DataParallelStep}: the batch is cut into one shard per configured
 * device; each shard runs forward/backward under its own gradient collector on its own parameter
 * replica (shard 0 on the parameters themselves); gradients are summed on the first device
 * weighted by shard size / batch size (the loss is a plain mean over cases, so this equals the
 * whole-batch gradient); the optimizer steps once. DJL's EasyTrain multi-device path is not used
 * (DJL issue 2459). Shards run one after another: DJL's PyTorch engine allows one gradient
 * collector at a time.
 *
 * <h2>Exact resume</h2>
 * The optimizers ({@link io.roentgen.training.optim.ParameterOptimizer}: AdamW, Adam, SGD with
 * momentum) are Roentgen's own so their buffers (Adam moments, SGD momentum) and update count are
 * saved. The learning rate is a function of the global step. The shuffle of epoch e is seeded by
 * (seed, e) and the engine is re-seeded by (seed, step) before every step, so no generator state
 * needs saving. A stop request checkpoints mid-epoch and resume continues with the next batch.
 *
 * <h2>Not done</h2>
 * No mixed precision: DJL has no automatic mixed precision, and bf16 was not measured (no GPU
 * here). No synchronised BatchNorm across shards.
 */
package io.roentgen.training;
