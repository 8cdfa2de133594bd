package io.roentgen.datasets.split;

import java.util.Locale;

/** The three parts of a train/validation/test split, with their manifest spelling. */
public enum Subset {
    TRAIN("train"),
    VALIDATION("validation"),
    TEST("test");

    private final String csvName;

    Subset(String csvName) {
        this.csvName = csvName;
    }

    /** How the {@code split} column spells it. */
    public String csvName() {
        return csvName;
    }

    /** Reads a {@code split} cell: train, validation (also val, valid), test; any case. Null if none. */
    public static Subset parse(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "train", "training" -> TRAIN;
            case "validation", "val", "valid" -> VALIDATION;
            case "test", "testing" -> TEST;
            default -> null;
        };
    }
}
