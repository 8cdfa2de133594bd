package io.roentgen.dicom.deid;

/**
 * Resolves the composite actions of PS3.15 Table E.1-1 to one action letter. With the
 * attribute's Type in the object's IOD (E.3: "X unless Z/D is required to maintain IOD
 * conformance"): Type 1 gives D (U for X/Z/U*, whose sequences must keep their items with UIDs
 * replaced), Type 2 gives Z, Type 3 or not in the IOD gives X. Without IOD knowledge (an unknown
 * SOP class, or an attribute inside a sequence item, whose Type belongs to the sequence's macro),
 * the choice valid for any Type: X/Z to Z, X/D and X/Z/D to D, X/Z/U* to U.
 *
 * <p>Z/D is D whatever the Type: Z allows "a non-zero length value that may be a dummy value",
 * so the keyed pseudonym (Patient ID) serves both and patients still link across exports.
 */
final class CompositeActions {
    private CompositeActions() {}

    /** Without IOD knowledge: the choice that keeps the object valid for Type 1, 2 and 3 alike. */
    static String withoutIod(String action) {
        return switch (action) {
            case "X/Z" -> "Z";
            case "X/D", "Z/D", "X/Z/D" -> "D";
            case "X/Z/U*" -> "U";
            default -> action;
        };
    }

    /**
     * @param iod the object's IOD, or null when unknown (then {@link #withoutIod})
     * @param tag the attribute, at the data set's top level
     */
    static String resolve(String action, IodAttributeTypes.Iod iod, int tag) {
        if (!action.contains("/")) {
            return action;
        }
        if (iod == null || action.equals("Z/D")) {
            return withoutIod(action);
        }
        Character type = iod.type(tag);
        char t = type == null ? '3' : type;
        return switch (t) {
            case '1' -> action.contains("U") ? "U" : action.contains("D") ? "D" : "Z"; // X/Z at Type 1: Z is the most it allows
            case '2' -> action.contains("Z") ? "Z" : "D"; // X/D at Type 2: an empty value is no option, a dummy is valid
            default -> action.startsWith("X") ? "X" : withoutIod(action);
        };
    }
}
