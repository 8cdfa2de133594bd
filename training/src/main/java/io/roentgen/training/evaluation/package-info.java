/**
 * Evaluating a model bundle on a labelled manifest: {@link io.roentgen.training.evaluation.BundleEvaluator}
 * scores the rows and returns an {@link io.roentgen.training.evaluation.Evaluation}, a record that
 * is also the JSON schema of {@code roentgen evaluate}, with the ROC curves beside it.
 */
package io.roentgen.training.evaluation;
