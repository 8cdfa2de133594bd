package io.roentgen.server.repository;

import ai.djl.Device;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.models.ModelCard;
import io.roentgen.server.batching.DynamicBatcher;

import java.nio.file.Path;

/**
 * One loaded model version: its card and preprocessing (what request threads need), the batcher
 * that owns its replicas, and the device of its first replica ({@code device}), where its
 * explainer runs too.
 */
public record ServedModel(String name, String version, Path directory, ModelCard card,
        PreprocessingSpec preprocessing, Device device, DynamicBatcher batcher) {}
