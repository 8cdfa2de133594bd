package io.roentgen.datasets.manifest;

import io.roentgen.engine.RoentgenException;
import java.util.Locale;

/** What indexing and loading do with a file they cannot use: {@code --on-bad-file skip|fail}. */
public enum BadFilePolicy {
    /** Record the file in the {@link BadFileReport} and carry on without it. */
    SKIP,
    /** Stop at the first bad file. */
    FAIL;

    /** Parses the command-line spelling ({@code skip} or {@code fail}, any case). */
    public static BadFilePolicy parse(String text) throws RoentgenException {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage("--on-bad-file must be skip or fail, not '" + text + "'");
        }
    }
}
