package io.roentgen.dicom;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parse of one data set from a {@link ByteSource}: a recursive descent over elements, items
 * and fragments within {@link Limits}, that checks every length against the bytes there are before
 * it uses it, so hostile input ends in a {@link DicomException} naming the tag and byte offset.
 * Each element is read in two steps, its header ({@link ElementHeader}) then its value by VR; the
 * parse answers a {@link ParseResult}. One instance per parse (it counts items across levels).
 */
final class DicomParser {
    private static final long UNDEFINED = ElementHeader.UNDEFINED_LENGTH;
    private static final long TO_END = -1;
    private static final long UNTIL_ITEM_DELIMITER = -2;
    private static final long META_GROUP = -3;

    private final ByteSource src;
    private final Limits limits;
    private final boolean stopAtPixelData;
    private boolean bigEndian;
    private boolean explicit;
    private int items;
    /** Where the top-level Pixel Data tag is; -1 until the parse meets it. */
    private long pixelDataPosition = -1;
    private boolean stopped;

    DicomParser(ByteSource src, Limits limits, boolean bigEndian, boolean explicit, boolean stopBeforePixelData) {
        this.src = src;
        this.limits = limits;
        this.bigEndian = bigEndian;
        this.explicit = explicit;
        this.stopAtPixelData = stopBeforePixelData;
    }

    /** Parses the File Meta Information group (explicit VR little endian) at {@code pos}. */
    static ParseResult parseMeta(ByteSource src, Limits limits, int pos) throws IOException, DicomException {
        return new DicomParser(src, limits, false, true, false).parse(pos, META_GROUP);
    }

    /** Parses a whole top-level data set from {@code pos} to the end of the input (or to Pixel Data). */
    ParseResult parseTop(int pos) throws IOException, DicomException {
        return parse(pos, TO_END);
    }

    private ParseResult parse(int pos, long end) throws IOException, DicomException {
        DicomObject ds = new DicomObject(src, bigEndian);
        int after = parseDataSet(ds, pos, end, 0, 0);
        return new ParseResult(ds, after, pixelDataPosition, stopped);
    }

    private String at(long pos) {
        return "offset " + pos + src.where;
    }

    private String name(int tag) {
        String k = DataDictionary.keyword(tag);
        return Tag.toString(tag) + (k == null ? "" : " " + k);
    }

    private void require(long pos, long n, int tag, String what) throws IOException, DicomException {
        if (pos > Integer.MAX_VALUE || !src.has(pos, n)) {
            long remaining = Math.max(0, src.limit - pos);
            throw new DicomException("truncated: " + what + (tag == 0 ? "" : " of " + name(tag)) + " at " + at(pos)
                    + " needs " + n + " bytes, only " + remaining + " remain");
        }
    }

    /**
     * Parses elements into {@code obj} from {@code pos}: for each, where the data set ends is
     * decided first, then the header step ({@link #readHeader}), then the value step by VR
     * ({@link #readValue}). {@code end} is the position where a defined-length item ends, or one
     * of TO_END, UNTIL_ITEM_DELIMITER, META_GROUP.
     *
     * @return the position after the data set (after the item delimiter for undefined-length items)
     */
    private int parseDataSet(DicomObject obj, int pos, long end, int depth, int sequenceTag)
            throws IOException, DicomException {
        while (!atEnd(pos, end, sequenceTag)) {
            require(pos, 8, 0, end == UNTIL_ITEM_DELIMITER
                    ? "element header (no Item Delimitation Item before the end) in an item of " + name(sequenceTag)
                    : "element header");
            int tag = src.tag(pos, bigEndian);
            if (tag >>> 16 == 0xFFFE) {
                if (tag == Tag.ItemDelimitationItem && end == UNTIL_ITEM_DELIMITER) {
                    obj.finishParse();
                    return pos + 8;
                }
                if (tag == Tag.ItemDelimitationItem && end >= 0) { // sloppy writers end defined-length items with one too
                    pos += 8;
                    continue;
                }
                throw new DicomException("unexpected " + Tag.toString(tag) + " at " + at(pos)
                        + (depth == 0 ? " in the top-level data set" : " in an item of " + name(sequenceTag)));
            }
            if (depth == 0 && end == TO_END && (tag == 0 && trailingZeros(pos) || stopsAtPixelData(tag, pos))) {
                break;
            }
            pos = readValue(obj, readHeader(obj, pos, tag, end == META_GROUP), end, depth);
        }
        obj.finishParse();
        return pos;
    }

    /** True where the data set at {@code pos} ends without a delimiter. */
    private boolean atEnd(int pos, long end, int sequenceTag) throws IOException, DicomException {
        if (end >= 0) {
            if (pos > end) {
                throw new DicomException("element runs past the end of its item at " + at(end) + " in " + name(sequenceTag));
            }
            return pos == end;
        }
        if ((end == TO_END || end == META_GROUP) && !src.has(pos, 1)) {
            return true;
        }
        if (end == META_GROUP) {
            return !src.has(pos, 2) || src.u16(pos, false) != 0x0002;
        }
        return end == TO_END && !src.has(pos, 8) && trailingZeros(pos); // a few zero bytes of padding
    }

    /** Notes where top-level Pixel Data (or Float/Double Float Pixel Data) is; true when the parse stops there. */
    private boolean stopsAtPixelData(int tag, int pos) {
        if (Tag.group(tag) != 0x7FE0 || Tag.element(tag) < 0x0008 || Tag.element(tag) > 0x0010) {
            return false;
        }
        pixelDataPosition = pos;
        stopped = stopAtPixelData;
        return stopped;
    }

    /**
     * The header step: VR and length of the element whose tag is at {@code pos}. A File Meta group
     * written in implicit VR is read as such; elsewhere bytes that name no VR end the parse.
     */
    private ElementHeader readHeader(DicomObject obj, int pos, int tag, boolean metaGroup)
            throws IOException, DicomException {
        VR vr = null;
        if (explicit) {
            int code = src.u8(pos + 4) << 8 | src.u8(pos + 5);
            vr = VR.ofCode(code);
            if (vr == null && !metaGroup) {
                throw new DicomException(String.format("invalid VR bytes 0x%02X%02X for %s at %s",
                        code >> 8, code & 0xFF, name(tag), at(pos)));
            }
        }
        ElementHeader h;
        if (vr == null) {
            h = new ElementHeader(tag, implicitVr(obj, tag), src.u32(pos + 4, bigEndian), pos, 8, false);
        } else if (vr.hasLongLength()) {
            require(pos, 12, tag, "element header");
            h = new ElementHeader(tag, vr, src.u32(pos + 8, bigEndian), pos, 12, true);
        } else {
            h = new ElementHeader(tag, vr, src.u16(pos + 6, bigEndian), pos, 8, true);
        }
        checkValueLength(h.undefinedLength() ? 0 : h.length(), tag, h.vr(), pos);
        return h;
    }

    /** Refuses a value or fragment longer than the limit before any of it is read. */
    private void checkValueLength(long length, int tag, VR vr, long pos) throws DicomException {
        if (length > limits.maxValueLength()) {
            throw new DicomException("value of " + name(tag) + " (" + vr + ", length " + length + ") at " + at(pos)
                    + " is longer than the reader's limit of " + limits.maxValueLength() + " bytes (maxValueLength)");
        }
    }

    /** The value step: a sequence, fragments, or a view of the value's bytes, by VR and length. */
    private int readValue(DicomObject obj, ElementHeader h, long end, int depth) throws IOException, DicomException {
        if (h.undefinedLength()) {
            return readUndefinedLength(obj, h, end, depth);
        }
        int tag = h.tag();
        VR vr = h.vr();
        int valuePos = h.valuePosition();
        long length = h.length();
        if (end >= 0 && valuePos + length > end) {
            throw new DicomException("value of " + name(tag) + " (" + vr + ", length " + length + ") at "
                    + at(h.position()) + " runs past the end of its item at " + at(end));
        }
        require(valuePos, length, tag, "value (" + vr + ", length " + length + ")");
        int len = (int) length;
        if (vr == VR.SQ) {
            return parseSequence(obj, tag, h.position(), valuePos, length, end, depth);
        }
        if (vr == VR.UN && len >= 8 && (!explicit || DataDictionary.vr(tag) == VR.SQ) && startsWithItem(valuePos)
                && trySequence(obj, tag, h.position(), valuePos, length, end, depth)) {
            return valuePos + len;
        }
        obj.addParsed(tag, vr, valuePos, len, null);
        return valuePos + len;
    }

    /** Undefined length: encapsulated Pixel Data, or a sequence (SQ, UN, or any VR in implicit VR). */
    private int readUndefinedLength(DicomObject obj, ElementHeader h, long end, int depth)
            throws IOException, DicomException {
        VR vr = h.vr();
        if (h.tag() == Tag.PixelData) {
            return parseFragments(obj, h.tag(), h.explicit() ? vr : VR.OB, h.valuePosition(), end);
        }
        if (vr != VR.SQ && vr != VR.UN && h.explicit()) {
            throw new DicomException("undefined length (0xFFFFFFFF) is not allowed for " + vr + " element "
                    + name(h.tag()) + " at " + at(h.position()));
        }
        boolean saved = explicit;
        boolean savedOrder = bigEndian;
        if (h.explicit() && vr == VR.UN) { // PS3.5 6.2.2: UN of undefined length is implicit VR LE
            explicit = false;
            bigEndian = false;
        }
        try {
            return parseSequence(obj, h.tag(), h.position(), h.valuePosition(), UNDEFINED, end, depth);
        } finally {
            explicit = saved;
            bigEndian = savedOrder;
        }
    }

    private boolean trailingZeros(int pos) throws IOException, DicomException {
        src.fillAll();
        for (int i = pos; i < src.limit; i++) {
            if (src.buf[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWithItem(int valuePos) {
        // items of a UN sequence are implicit VR little endian
        return src.tag(valuePos, false) == Tag.Item || src.tag(valuePos, bigEndian) == Tag.Item;
    }

    /** Parses a defined-length UN value as an implicit VR LE sequence; false (nothing added) when it is not one. */
    private boolean trySequence(DicomObject obj, int tag, int pos, int valuePos, long length, long end, int depth)
            throws IOException, MemoryExhaustedException {
        boolean saved = explicit;
        boolean savedOrder = bigEndian;
        int savedItems = items;
        explicit = false;
        bigEndian = false;
        try {
            parseSequence(obj, tag, pos, valuePos, length, end, depth);
            return true;
        } catch (MemoryExhaustedException e) {
            throw e; // no room now says nothing about the guess
        } catch (DicomException e) {
            items = savedItems;
            return false;
        } finally {
            explicit = saved;
            bigEndian = savedOrder;
        }
    }

    private VR implicitVr(DicomObject obj, int tag) {
        if (Tag.isPrivate(tag)) {
            if (Tag.isPrivateCreator(tag)) {
                return VR.LO;
            }
            if (Tag.element(tag) == 0) {
                return VR.UL;
            }
            DataDictionary.Entry e = DataDictionary.privateEntry(tag, obj.privateCreator(tag));
            return e == null ? VR.UN : e.vr();
        }
        if (tag == Tag.PixelData) {
            return VR.OW;
        }
        DataDictionary.Entry e = DataDictionary.entry(tag);
        if (e == null) {
            return VR.UN;
        }
        VR vr = e.vr();
        if (vr == VR.US && e.vrText().equals("US or SS") && Tag.group(tag) == 0x0028
                && (Tag.element(tag) < 0x1101 || Tag.element(tag) > 0x1104) && tag != Tag.LUTDescriptor
                && obj.getInt(Tag.PixelRepresentation, 0) == 1) {
            return VR.SS;
        }
        return vr;
    }

    private int parseSequence(DicomObject obj, int tag, int elementPos, int valuePos, long length, long enclosingEnd,
                              int depth) throws IOException, DicomException {
        if (depth + 1 > limits.maxDepth()) {
            throw new DicomException("sequences nested deeper than " + limits.maxDepth() + " levels at " + name(tag)
                    + " at " + at(elementPos));
        }
        boolean undefined = length == UNDEFINED;
        long end = undefined ? -1 : valuePos + length;
        List<DicomObject> list = new ArrayList<>();
        int pos = valuePos;
        while (undefined || pos < end) {
            if (undefined && enclosingEnd >= 0 && pos >= enclosingEnd) {
                throw new DicomException("undefined-length sequence " + name(tag) + " at " + at(elementPos)
                        + " has no Sequence Delimitation Item before the end of its item at " + at(enclosingEnd));
            }
            ElementHeader h = readItemHeader(pos, tag, undefined
                    ? "item header (no Sequence Delimitation Item before the end) in sequence"
                    : "item header in sequence");
            if (h.tag() == Tag.SequenceDelimitationItem) {
                pos += 8;
                if (undefined) {
                    break;
                }
                continue; // tolerated in a defined-length sequence
            }
            if (h.tag() != Tag.Item) {
                throw new DicomException("expected an item (FFFE,E000) in sequence " + name(tag) + " at " + at(pos)
                        + ", found " + Tag.toString(h.tag()));
            }
            if (++items > limits.maxItems()) {
                throw new DicomException("more than " + limits.maxItems() + " sequence items (reader limit) at " + at(pos));
            }
            DicomObject item = new DicomObject(src, bigEndian);
            item.setParent(obj);
            item.setItemPosition(pos);
            pos = parseItem(item, h, tag, list.size() + 1, end, enclosingEnd, depth);
            list.add(item);
        }
        obj.addParsed(tag, VR.SQ, valuePos, undefined ? DicomObject.UNDEFINED_LENGTH : (int) length, list);
        return pos;
    }

    /** The header of an item, fragment or delimiter: tag and 32-bit length, no VR. */
    private ElementHeader readItemHeader(int pos, int tag, String what) throws IOException, DicomException {
        require(pos, 8, tag, what);
        return new ElementHeader(src.tag(pos, bigEndian), null, src.u32(pos + 4, bigEndian), pos, 8, false);
    }

    /**
     * Parses item number {@code number} of sequence {@code sequenceTag}, whose header is {@code h};
     * {@code sequenceEnd} is -1 for an undefined-length sequence. Returns the position after it.
     */
    private int parseItem(DicomObject item, ElementHeader h, int sequenceTag, int number, long sequenceEnd,
                          long enclosingEnd, int depth) throws IOException, DicomException {
        int itemValue = h.valuePosition();
        if (h.undefinedLength()) {
            int pos = parseDataSet(item, itemValue, UNTIL_ITEM_DELIMITER, depth + 1, sequenceTag);
            if (sequenceEnd >= 0 && pos > sequenceEnd) {
                throw new DicomException("item " + number + " of " + name(sequenceTag) + " at " + at(h.position())
                        + " runs past the end of its sequence at " + at(sequenceEnd));
            }
            return pos;
        }
        long itemEnd = itemValue + h.length();
        if (sequenceEnd >= 0 && itemEnd > sequenceEnd) {
            throw new DicomException("item " + number + " of " + name(sequenceTag) + " (length " + h.length()
                    + ") at " + at(h.position()) + " runs past the end of its sequence at " + at(sequenceEnd));
        }
        if (enclosingEnd >= 0 && itemEnd > enclosingEnd) {
            throw new DicomException("item " + number + " of " + name(sequenceTag) + " (length " + h.length()
                    + ") at " + at(h.position()) + " runs past the end of the enclosing item at " + at(enclosingEnd));
        }
        require(itemValue, h.length(), sequenceTag, "item " + number + " (length " + h.length() + ") in sequence");
        return parseDataSet(item, itemValue, itemEnd, depth + 1, sequenceTag);
    }

    private int parseFragments(DicomObject obj, int tag, VR vr, int valuePos, long enclosingEnd)
            throws IOException, DicomException {
        int[] offsets = new int[16];
        int[] lengths = new int[16];
        int n = 0;
        int pos = valuePos;
        while (true) {
            if (enclosingEnd >= 0 && pos >= enclosingEnd) {
                throw new DicomException("encapsulated " + name(tag) + " at " + at(valuePos)
                        + " has no Sequence Delimitation Item before the end of its item at " + at(enclosingEnd));
            }
            ElementHeader h = readItemHeader(pos, tag, "fragment header (no Sequence Delimitation Item before the end) in encapsulated");
            int itemTag = h.tag();
            long len = h.length();
            if (itemTag == Tag.SequenceDelimitationItem) {
                pos += 8;
                break;
            }
            if (itemTag != Tag.Item) {
                throw new DicomException("expected a fragment item (FFFE,E000) in encapsulated " + name(tag) + " at "
                        + at(pos) + ", found " + Tag.toString(itemTag));
            }
            if (len == UNDEFINED) {
                throw new DicomException("fragment " + n + " of encapsulated " + name(tag) + " at " + at(pos)
                        + " has undefined length");
            }
            checkValueLength(len, tag, vr, pos);
            if (enclosingEnd >= 0 && pos + 8 + len > enclosingEnd) {
                throw new DicomException("fragment " + n + " of " + name(tag) + " (length " + len + ") at " + at(pos)
                        + " runs past the end of its item at " + at(enclosingEnd));
            }
            require(pos + 8, len, tag, "fragment " + n + " (length " + len + ")");
            if (n == offsets.length) {
                offsets = Arrays.copyOf(offsets, n * 2);
                lengths = Arrays.copyOf(lengths, n * 2);
            }
            offsets[n] = pos + 8;
            lengths[n] = (int) len;
            n++;
            pos += 8 + (int) len;
        }
        obj.addParsed(tag, vr, valuePos, DicomObject.UNDEFINED_LENGTH,
                EncapsulatedPixelData.parsed(src, offsets, lengths, n, bigEndian));
        return pos;
    }
}
