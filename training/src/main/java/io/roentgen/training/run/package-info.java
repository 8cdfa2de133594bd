/**
 * What describes a training run, shared by the run ({@code io.roentgen.training}), its listeners
 * ({@code .listen}), the optimizers ({@code .optim}) and the bundle exporter: the configuration
 * ({@link io.roentgen.training.run.TrainingConfig}), one record per epoch, the result, and the
 * JSON set-up of run files. Data only; it imports nothing of the training engine, so the engine
 * sits on top of its parts and no package of {@code training} imports one that imports it back.
 */
package io.roentgen.training.run;
