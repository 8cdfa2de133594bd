package io.roentgen.dicom.deid;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The Retain Longitudinal Temporal Information with Modified Dates option: every date of one
 * patient moves by the same number of days, derived from HMAC(key, Patient ID), so intervals
 * within a patient survive and the true dates cannot be computed without the key. Times of day
 * are kept (a whole-day shift does not change them).
 */
public final class DateShifter {
    /** Shifts fall between 1 day and about ten years back. */
    static final int MAX_SHIFT_DAYS = 3652;

    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final int days;

    private DateShifter(int days) {
        this.days = days;
    }

    /** The shift of this patient (Patient ID, or "" when there is none: then all such files share one shift). */
    public static DateShifter forPatient(ProjectKey key, String patientId) {
        byte[] h = key.hmac("date-shift", patientId == null ? "" : patientId.strip());
        int v = ((h[0] & 0xFF) << 16) | ((h[1] & 0xFF) << 8) | (h[2] & 0xFF);
        return new DateShifter(-(1 + v % MAX_SHIFT_DAYS));
    }

    /** The shift in days (negative: back in time). */
    public int days() {
        return days;
    }

    /** A DA value (one date, or a backslash list) shifted; null when a value does not parse (then the caller empties it). */
    public String shiftDate(String value) {
        return shiftEach(value, false);
    }

    /** A DT value shifted: the date part moves, the time and offset stay. */
    public String shiftDateTime(String value) {
        return shiftEach(value, true);
    }

    private String shiftEach(String value, boolean dateTime) {
        String[] parts = value.split("\\\\", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            String shifted = p.isEmpty() ? "" : shiftOne(p, dateTime);
            if (shifted == null) {
                return null;
            }
            if (i > 0) {
                out.append('\\');
            }
            out.append(shifted);
        }
        return out.toString();
    }

    private String shiftOne(String v, boolean dateTime) {
        if (v.length() < 8 || (!dateTime && v.length() != 8)) {
            return null; // a year or year-month alone cannot be shifted by days
        }
        try {
            LocalDate d = LocalDate.parse(v.substring(0, 8), DA).plusDays(days);
            return d.format(DA) + v.substring(8);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
