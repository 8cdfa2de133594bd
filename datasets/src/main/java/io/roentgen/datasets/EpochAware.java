package io.roentgen.datasets;

/**
 * A dataset whose samples depend on the epoch (seeded training augmentation): the trainer tells
 * it which epoch is starting, so every epoch draws new augmentations and a resumed run draws the
 * same ones as an uninterrupted run.
 */
public interface EpochAware {
    void setEpoch(int epoch);
}
