package io.roentgen.training;

/** Where a run starts when its folder already holds checkpoints. */
public enum ResumeMode {
    /** Start fresh; a folder with checkpoints is refused. */
    OFF,
    /** Continue from the furthest checkpoint; a damaged one is refused with a line naming the file. */
    LATEST,
    /** Continue from the furthest checkpoint whose checksums match, passing over damaged ones. */
    AUTO
}
