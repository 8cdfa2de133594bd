/**
 * Model bundles: a trained network with everything needed to score a DICOM file the way it was
 * trained, as a directory or a zip of one.
 *
 * <pre>
 * blobs/
 *   model.json        what the model is (below)
 *   weights.params    format "roentgen": DJL parameters of the named architecture
 *   model.pt          format "torchscript": a module saved by torch.jit.save (instead of weights.params)
 * </pre>
 *
 * <p>{@code model.json} (schema {@link io.roentgen.models.bundle.BundleManifest}, read and
 * written by {@link io.roentgen.models.bundle.BundleJson}):
 * <ul>
 *   <li>{@code formatVersion} "MAJOR.MINOR"; a reader refuses another major version, reads a
 *       newer minor one and ignores fields it does not know;</li>
 *   <li>{@code format} "roentgen" or "torchscript"; {@code name}; {@code version};</li>
 *   <li>{@code task} "multi-class" (softmax; the arg-max is predicted) or "multi-label" (a sigmoid
 *       per label; every label at or above its threshold is predicted);</li>
 *   <li>{@code architecture} (roentgen format): {@link io.roentgen.models.arch.ArchitectureSpec}
 *       as JSON: name, inChannels, numClasses, imageSize, multiLabel;</li>
 *   <li>{@code input}: channels, height, width of one preprocessed image;</li>
 *   <li>{@code labels} in output order; {@code thresholds} by label (validation Youden
 *       threshold; a label left out gets 0.5);</li>
 *   <li>{@code preprocessing}: {@link io.roentgen.dicom.image.PreprocessingSpec} JSON;</li>
 *   <li>{@code metrics}: validation metrics by name (finite numbers only);</li>
 *   <li>{@code provenance}: manifestSha256, split, seed, roentgenVersion, djlVersion,
 *       pytorchVersion, created (UTC), precision (fp32, bf16 or fp16: what the network was trained and
 *       validated in; absent means fp32), each optional.</li>
 * </ul>
 *
 * <p>Entry points: {@link io.roentgen.models.bundle.ModelBundle#load} (a
 * {@link io.roentgen.models.Classifier}), {@link io.roentgen.models.bundle.ModelBundle#readManifest},
 * {@link io.roentgen.models.bundle.ModelBundle#writer}.
 */
package io.roentgen.models.bundle;
