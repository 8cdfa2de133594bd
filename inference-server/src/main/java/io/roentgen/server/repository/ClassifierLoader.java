package io.roentgen.server.repository;

import ai.djl.Device;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;

import java.nio.file.Path;

/** Loads one bundle directory onto one device. {@code ModelBundle::load} is the real one. */
@FunctionalInterface
public interface ClassifierLoader {
    Classifier load(Path bundleDir, Device device) throws RoentgenException;
}
