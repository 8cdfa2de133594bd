package io.roentgen.dicom.testing;

import java.util.Collection;

/**
 * Guards a test that loops over fixtures or generates cases from them: with fewer cases than the
 * fixture set holds (a fixture folder not on the class path, a manifest cut short, a tool that
 * wrote nothing) it fails instead of passing with nothing checked.
 */
public final class MinimumCount {
    private MinimumCount() {}

    /** {@code cases}, after checking that it holds at least {@code minimum} of {@code what}. */
    public static <T extends Collection<?>> T atLeast(int minimum, T cases, String what) {
        if (cases.size() < minimum) {
            throw new AssertionError(what + ": " + cases.size() + " found, at least " + minimum
                    + " expected (a fixture missing, or the script that writes them not run?)");
        }
        return cases;
    }
}
