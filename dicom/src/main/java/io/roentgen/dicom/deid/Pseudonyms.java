package io.roentgen.dicom.deid;

import io.roentgen.dicom.VR;

import java.util.HexFormat;

/**
 * Dummy values for action D (replace with a non-zero-length dummy of the VR). Text values are
 * keyed pseudonyms, HMAC(key, tag and value) in hexadecimal, so the same Patient ID or station
 * gets the same stand-in across a project (patients still link) while the original cannot be
 * recovered; other VRs get a fixed dummy.
 */
final class Pseudonyms {
    static final String DUMMY_DATE = "19000101";
    static final String DUMMY_TIME = "000000";

    private final ProjectKey key;

    Pseudonyms(ProjectKey key) {
        this.key = key;
    }

    /** The dummy text of a text VR, or null for binary VRs (the caller writes zeros then). */
    String dummy(int tag, VR vr, String original) {
        switch (vr) {
            case DA: return DUMMY_DATE;
            case TM: return DUMMY_TIME;
            case DT: return DUMMY_DATE + DUMMY_TIME;
            case IS: case DS: return "0";
            case AS: return "000Y";
            case UR: return "urn:roentgen:removed";
            case PN: return "ANON^" + hex(tag, original, 10);
            case AE: case SH: case CS: return hex(tag, original, 16);
            case LO: case LT: case ST: case UT: case UC: return hex(tag, original, 20);
            default: return null;
        }
    }

    /** The first {@code chars} upper-case hex digits of the keyed hash (digits and A-F fit every text VR, CS included). */
    private String hex(int tag, String original, int chars) {
        byte[] h = key.hmac("dummy:" + Integer.toHexString(tag), original == null ? "" : original.strip());
        return HexFormat.of().withUpperCase().formatHex(h).substring(0, chars);
    }
}
