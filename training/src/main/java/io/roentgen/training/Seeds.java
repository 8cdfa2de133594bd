package io.roentgen.training;

/**
 * Derives every random seed of a run from the one configured seed and a position (purpose,
 * epoch, step), so a resumed run draws exactly what the uninterrupted run would have drawn
 * without saving any generator state.
 */
final class Seeds {
    static final long SHUFFLE = 1;
    static final long STEP = 2;
    static final long INIT = 3;

    private Seeds() {
    }

    static long derive(long seed, long purpose, long position) {
        return mix(mix(seed ^ mix(purpose)) + position);
    }

    /** The SplitMix64 finaliser: neighbouring inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** DJL's engines take an int seed. */
    static int engineSeed(long seed, long purpose, long position) {
        return (int) (derive(seed, purpose, position) & 0x7fffffff);
    }
}
