package io.roentgen.training.data;

import io.roentgen.datasets.manifest.BadFileReport;

import ai.djl.training.dataset.RandomAccessDataset;

import java.util.List;

/**
 * What training reads: the training and validation datasets, the class names, a hash of the
 * source for provenance, and the files skipped as unusable (none for image folders).
 */
public record TrainingData(RandomAccessDataset train, RandomAccessDataset validation, List<String> classNames,
        String sourceHash, BadFileReport badFiles) {
}
