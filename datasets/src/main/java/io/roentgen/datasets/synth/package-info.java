/**
 * Synthetic DICOM collections: the embedded data set of the demo, the tests and the benchmarks.
 * {@link io.roentgen.datasets.synth.SyntheticCollection#write} turns a
 * {@link io.roentgen.datasets.synth.SynthSpec} into patients, studies, series and images (CT with
 * Hounsfield units, 12-bit CR that is sometimes MONOCHROME1, T1-like MR) in explicit, implicit,
 * deflated or RLE transfer syntax, plus {@code manifest.csv}. Positive studies show a finding
 * (nodule, ring or streak) in a lung of a chest-like slice; a small CNN learns it in a minute on a
 * CPU. Output is a pure function of the spec: same seed, same bytes; UIDs are
 * {@code 2.25.<128 bits of SHA-256(seed, level, numbers)>}.
 */
package io.roentgen.datasets.synth;
