package io.roentgen.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A dcmdump-like text dump: one line per element with tag, VR, value, then after '#' the value
 * length, the number of values and the keyword; items and their elements indented, long values
 * truncated with "...". Shows patient data as it is in the file: for a person's terminal, never
 * for logs.
 */
public final class DicomDumper {
    private int maxValueChars = 64;
    private int maxBinaryValues = 16;
    private int valueColumn = 52;

    /** Longest value text shown before "..." (default 64). */
    public DicomDumper maxValueChars(int chars) {
        this.maxValueChars = Math.max(8, chars);
        return this;
    }

    /** Most binary values (numbers, bytes) shown before "..." (default 16). */
    public DicomDumper maxBinaryValues(int values) {
        this.maxBinaryValues = Math.max(1, values);
        return this;
    }

    /** The dump as a string. */
    public String dump(DicomObject ds) {
        StringBuilder sb = new StringBuilder();
        try {
            dump(ds, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    /** Writes the dump: File Meta Information (if any), then the data set. */
    public void dump(DicomObject ds, Appendable out) throws IOException {
        if (ds.fileMeta() != null) {
            out.append("# File Meta Information\n");
            dataSet(ds.fileMeta(), out, 0);
        }
        TransferSyntax ts = ds.transferSyntax();
        out.append("# Data Set: ").append(ts.toString()).append('\n');
        dataSet(ds, out, 0);
        if (ds.stoppedBeforePixelData()) {
            out.append("# stopped before Pixel Data at offset ").append(Long.toString(ds.pixelDataPosition())).append('\n');
        }
    }

    private void dataSet(DicomObject ds, Appendable out, int level) throws IOException {
        for (DicomElement e : ds) {
            element(e, out, level);
        }
    }

    private void element(DicomElement e, Appendable out, int level) throws IOException {
        String indent = "  ".repeat(level);
        String keyword = e.keyword();
        if (keyword == null) {
            keyword = Tag.isPrivate(e.tag()) ? "PrivateTag" : "Unknown Tag & Data";
        }
        long length = e.length();
        String lengthText = length == DicomObject.UNDEFINED_LENGTH ? "u/l" : Long.toString(length);
        if (e.isSequence()) {
            List<DicomObject> items = e.items();
            line(out, indent, Tag.toString(e.tag()) + " SQ (Sequence with " + items.size() + " item"
                    + (items.size() == 1 ? "" : "s") + ")", lengthText, 1, keyword);
            int k = 0;
            for (DicomObject item : items) {
                line(out, indent + "  ", "(FFFE,E000) na (Item #" + (++k) + ", " + item.size() + " elements)", "", -1, "Item");
                dataSet(item, out, level + 2);
            }
            return;
        }
        if (e.isEncapsulatedPixelData()) {
            EncapsulatedPixelData p = e.encapsulatedPixelData();
            line(out, indent, Tag.toString(e.tag()) + " " + e.vr() + " (PixelSequence: " + p.basicOffsetTable().length
                    + " offsets, " + p.fragmentCount() + " fragments)", lengthText, 1, keyword);
            int shown = Math.min(p.fragmentCount(), maxBinaryValues);
            for (int f = 0; f < shown; f++) {
                line(out, indent + "  ", "(FFFE,E000) pi (fragment " + (f + 1) + ")", Integer.toString(p.fragmentLength(f)), 1, "Item");
            }
            if (shown < p.fragmentCount()) {
                out.append(indent).append("  ... ").append(Integer.toString(p.fragmentCount() - shown)).append(" more fragments\n");
            }
            return;
        }
        String[] values;
        VR vr = e.vr();
        String text;
        int vm;
        if (vr == VR.OB || vr == VR.UN && e.owner().values().effectiveVr(indexOf(e)) == VR.UN) {
            DicomObject o = e.owner();
            int i = e.index();
            byte[] b = o.values().rawArray(i);
            int n = b == null ? 0 : o.values().rawLength(i);
            vm = n == 0 ? 0 : 1;
            text = n == 0 ? null : hexBytes(b, o.values().rawOffset(i), n);
        } else if (vr.isText() || e.owner().values().effectiveVr(indexOf(e)).isText()) {
            values = e.getStrings();
            vm = values.length;
            String raw = e.owner().values().rawText(indexOf(e));
            String trimmed = StringValues.trim(raw, vr);
            text = vm == 0 || trimmed.isEmpty() ? null : "[" + truncate(printable(trimmed)) + "]";
            if (trimmed.isEmpty()) {
                vm = 0;
            }
        } else {
            values = e.owner().values().stringsAt(e.index(), maxBinaryValues + 1);
            VR effective = e.owner().values().effectiveVr(e.index());
            int unit = effective == VR.AT ? 4 : effective.bytesPerValue();
            vm = effective.isBinary() && unit > 0 ? e.owner().values().rawLength(e.index()) / unit : values.length;
            if (vr == VR.OW || vr == VR.OL || vr == VR.OV || vr == VR.OF || vr == VR.OD) {
                vm = vm == 0 ? 0 : 1;
            }
            if (vr == VR.OW && values.length > 0) {
                StringBuilder sb = new StringBuilder();
                long[] ints = e.owner().values().longsAt(e.index(), maxBinaryValues + 1);
                for (int k = 0; k < Math.min(ints.length, maxBinaryValues); k++) {
                    sb.append(k == 0 ? "" : "\\").append(String.format("%04x", ints[k] & 0xFFFF));
                }
                if (ints.length > maxBinaryValues) {
                    sb.append("...");
                }
                text = sb.toString();
            } else {
                text = values.length == 0 ? null : joinLimited(values);
            }
        }
        line(out, indent, Tag.toString(e.tag()) + " " + vr + " " + (text == null ? "(no value available)" : text),
                lengthText, vm, keyword);
    }

    private static int indexOf(DicomElement e) {
        return e.index();
    }

    private void line(Appendable out, String indent, String left, String length, int vm, String keyword) throws IOException {
        StringBuilder sb = new StringBuilder(indent).append(left);
        while (sb.length() < valueColumn) {
            sb.append(' ');
        }
        sb.append(" #");
        if (!length.isEmpty()) {
            sb.append(String.format("%5s", length));
        }
        if (vm >= 0) {
            sb.append(", ").append(vm);
        }
        sb.append(' ').append(keyword).append('\n');
        out.append(sb);
    }

    private String joinLimited(String[] values) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < values.length; k++) {
            if (k == maxBinaryValues) {
                sb.append("...");
                break;
            }
            sb.append(k == 0 ? "" : "\\").append(values[k]);
        }
        return truncate(sb.toString());
    }

    private String hexBytes(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < Math.min(len, maxBinaryValues); k++) {
            sb.append(k == 0 ? "" : "\\").append(String.format("%02x", b[off + k] & 0xFF));
        }
        if (len > maxBinaryValues) {
            sb.append("...");
        }
        return sb.toString();
    }

    private String truncate(String s) {
        return s.length() <= maxValueChars ? s : s.substring(0, maxValueChars) + "...";
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '.' : c);
        }
        return sb.toString();
    }
}
