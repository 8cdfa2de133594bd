package io.roentgen.server.repository;

import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.models.ModelCard;
import io.roentgen.server.batching.DynamicBatcher;

import java.nio.file.Path;

/**
 * One loaded model version: its card and preprocessing (what request threads need) and the
 * batcher that owns its replicas.
 */
public record ServedModel(String name, String version, Path directory, ModelCard card,
        PreprocessingSpec preprocessing, DynamicBatcher batcher) {}
