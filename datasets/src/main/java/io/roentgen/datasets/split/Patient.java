package io.roentgen.datasets.split;

import java.util.List;

/**
 * The images of one patient, the unit a split never divides.
 *
 * @param key the patient ID, or for an image without one a key made from its path (each such
 *     image is its own patient)
 * @param entryIndices the patient's entries in the manifest
 * @param stratum the label the patient is stratified by (see {@link Stratifier})
 */
record Patient(String key, List<Integer> entryIndices, int stratum) {}
