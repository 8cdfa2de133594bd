/**
 * Grad-CAM and Grad-CAM++ for Roentgen bundles, without hooks: {@link io.roentgen.models.explain.SplitNetwork}
 * cuts the trained network at a named layer, {@link io.roentgen.models.explain.Explainer} takes the
 * gradient of a class logit through the head, and the outputs are the raw map, the normalised map
 * at the input's size, a PNG overlay ({@link io.roentgen.models.explain.Overlay}) and a DICOM
 * Secondary Capture ({@link io.roentgen.models.explain.SecondaryCapture}). docs/DECISIONS.md says
 * where the formulas come from and where MONAI's differ.
 */
package io.roentgen.models.explain;
