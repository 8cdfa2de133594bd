package io.roentgen.dicom;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parse of one data set from a {@link ByteSource}: a recursive descent over elements, items
 * and fragments with bounded depth, that checks every length against the bytes there are before
 * it uses it, so hostile input ends in a {@link DicomException} naming the tag and byte offset.
 */
final class DicomParser {
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final long TO_END = -1;
    private static final long UNTIL_ITEM_DELIMITER = -2;
    private static final long META_GROUP = -3;

    private final ByteSource src;
    private final DicomReader options;
    private boolean bigEndian;
    private boolean explicit;
    private boolean stopAtPixelData;
    private int items;
    /** Where the top-level parse stopped before Pixel Data; -1 when it did not. */
    long stoppedAt = -1;
    long pixelDataPosition = -1;

    DicomParser(ByteSource src, DicomReader options, boolean bigEndian, boolean explicit) {
        this.src = src;
        this.options = options;
        this.bigEndian = bigEndian;
        this.explicit = explicit;
    }

    void stopBeforePixelData(boolean stop) {
        this.stopAtPixelData = stop;
    }

    /** Parses the File Meta Information group (explicit VR little endian) at {@code pos}; returns its end. */
    int parseMeta(DicomObject meta, int pos) throws IOException, DicomException {
        return parseDataSet(meta, pos, META_GROUP, 0, 0);
    }

    /** Parses a whole top-level data set from {@code pos} to the end of the input. */
    int parseTop(DicomObject ds, int pos) throws IOException, DicomException {
        return parseDataSet(ds, pos, TO_END, 0, 0);
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
     * Parses elements into {@code obj} from {@code pos}. {@code end} is the position where a
     * defined-length item ends, or one of TO_END, UNTIL_ITEM_DELIMITER, META_GROUP.
     *
     * @return the position after the data set (after the item delimiter for undefined-length items)
     */
    private int parseDataSet(DicomObject obj, int pos, long end, int depth, int sequenceTag)
            throws IOException, DicomException {
        while (true) {
            if (end >= 0) {
                if (pos >= end) {
                    if (pos > end) {
                        throw new DicomException("element runs past the end of its item at " + at(end)
                                + " in " + name(sequenceTag));
                    }
                    obj.finishParse();
                    return pos;
                }
            } else if (end == TO_END || end == META_GROUP) {
                if (!src.has(pos, 1)) {
                    obj.finishParse();
                    return pos;
                }
            }
            if (end == META_GROUP) {
                if (!src.has(pos, 2) || src.u16(pos, false) != 0x0002) {
                    obj.finishParse();
                    return pos;
                }
            }
            if (end == TO_END && !src.has(pos, 8) && trailingZeros(pos)) {
                obj.finishParse(); // a few zero bytes of padding after the data set
                return pos;
            }
            require(pos, 8, 0, end == UNTIL_ITEM_DELIMITER
                    ? "element header (no Item Delimitation Item before the end) in an item of " + name(sequenceTag)
                    : "element header");
            int tag = src.tag(pos, bigEndian);
            if (tag >>> 16 == 0xFFFE) {
                if (tag == Tag.ItemDelimitationItem) {
                    if (end == UNTIL_ITEM_DELIMITER) {
                        obj.finishParse();
                        return pos + 8;
                    }
                    if (end >= 0) { // sloppy writers end defined-length items with a delimiter too
                        pos += 8;
                        continue;
                    }
                }
                throw new DicomException("unexpected " + Tag.toString(tag) + " at " + at(pos)
                        + (depth == 0 ? " in the top-level data set" : " in an item of " + name(sequenceTag)));
            }
            if (depth == 0 && end == TO_END && tag == 0 && trailingZeros(pos)) {
                obj.finishParse();
                return pos;
            }
            if (depth == 0 && end == TO_END && Tag.group(tag) == 0x7FE0 && Tag.element(tag) >= 0x0008
                    && Tag.element(tag) <= 0x0010) {
                pixelDataPosition = pos;
                if (stopAtPixelData) {
                    stoppedAt = pos;
                    obj.finishParse();
                    return pos;
                }
            }
            VR vr;
            long length;
            int header;
            boolean elementExplicit = explicit;
            if (explicit) {
                int code = src.u8(pos + 4) << 8 | src.u8(pos + 5);
                vr = VR.ofCode(code);
                if (vr == null) {
                    if (end == META_GROUP) {
                        elementExplicit = false; // a File Meta group written in implicit VR
                    } else {
                        throw new DicomException(String.format("invalid VR bytes 0x%02X%02X for %s at %s",
                                code >> 8, code & 0xFF, name(tag), at(pos)));
                    }
                }
            } else {
                vr = null;
            }
            if (elementExplicit) {
                if (vr.hasLongLength()) {
                    require(pos, 12, tag, "element header");
                    length = src.u32(pos + 8, bigEndian);
                    header = 12;
                } else {
                    length = src.u16(pos + 6, bigEndian);
                    header = 8;
                }
            } else {
                length = src.u32(pos + 4, bigEndian);
                header = 8;
                vr = implicitVr(obj, tag);
            }
            int valuePos = pos + header;
            if (length == UNDEFINED) {
                if (tag == Tag.PixelData) {
                    pos = parseFragments(obj, tag, elementExplicit ? vr : VR.OB, valuePos, end);
                } else if (vr == VR.SQ || vr == VR.UN || !elementExplicit) {
                    boolean saved = explicit;
                    boolean savedOrder = bigEndian;
                    if (elementExplicit && vr == VR.UN) { // PS3.5 6.2.2: UN of undefined length is implicit VR LE
                        explicit = false;
                        bigEndian = false;
                    }
                    try {
                        pos = parseSequence(obj, tag, pos, valuePos, UNDEFINED, end, depth);
                    } finally {
                        explicit = saved;
                        bigEndian = savedOrder;
                    }
                } else {
                    throw new DicomException("undefined length (0xFFFFFFFF) is not allowed for " + vr + " element "
                            + name(tag) + " at " + at(pos));
                }
                continue;
            }
            if (end >= 0 && valuePos + length > end) {
                throw new DicomException("value of " + name(tag) + " (" + vr + ", length " + length + ") at " + at(pos)
                        + " runs past the end of its item at " + at(end));
            }
            require(valuePos, length, tag, "value (" + vr + ", length " + length + ")");
            int len = (int) length;
            if (vr == VR.SQ) {
                pos = parseSequence(obj, tag, pos, valuePos, length, end, depth);
                continue;
            }
            if (vr == VR.UN && len >= 8 && (!explicit || DataDictionary.vr(tag) == VR.SQ) && startsWithItem(valuePos)
                    && trySequence(obj, tag, pos, valuePos, length, end, depth)) {
                pos = valuePos + len;
                continue;
            }
            obj.addParsed(tag, vr, valuePos, len, null);
            pos = valuePos + len;
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
        if (depth + 1 > options.maxDepth()) {
            throw new DicomException("sequences nested deeper than " + options.maxDepth() + " levels at " + name(tag)
                    + " at " + at(elementPos));
        }
        boolean undefined = length == UNDEFINED;
        long end = undefined ? -1 : valuePos + length;
        List<DicomObject> list = new ArrayList<>();
        int pos = valuePos;
        while (true) {
            if (!undefined && pos >= end) {
                break;
            }
            if (undefined && enclosingEnd >= 0 && pos >= enclosingEnd) {
                throw new DicomException("undefined-length sequence " + name(tag) + " at " + at(elementPos)
                        + " has no Sequence Delimitation Item before the end of its item at " + at(enclosingEnd));
            }
            require(pos, 8, tag, undefined
                    ? "item header (no Sequence Delimitation Item before the end) in sequence"
                    : "item header in sequence");
            int itemTag = src.tag(pos, bigEndian);
            long itemLength = src.u32(pos + 4, bigEndian);
            if (itemTag == Tag.SequenceDelimitationItem) {
                pos += 8;
                if (undefined) {
                    break;
                }
                continue; // tolerated in a defined-length sequence
            }
            if (itemTag != Tag.Item) {
                throw new DicomException("expected an item (FFFE,E000) in sequence " + name(tag) + " at " + at(pos)
                        + ", found " + Tag.toString(itemTag));
            }
            if (++items > options.maxItems()) {
                throw new DicomException("more than " + options.maxItems() + " sequence items (reader limit) at " + at(pos));
            }
            DicomObject item = new DicomObject(src, bigEndian);
            item.setParent(obj);
            item.setItemPosition(pos);
            int itemValue = pos + 8;
            if (itemLength == UNDEFINED) {
                pos = parseDataSet(item, itemValue, UNTIL_ITEM_DELIMITER, depth + 1, tag);
                if (!undefined && pos > end) {
                    throw new DicomException("item " + (list.size() + 1) + " of " + name(tag) + " at " + at(itemValue - 8)
                            + " runs past the end of its sequence at " + at(end));
                }
            } else {
                long itemEnd = itemValue + itemLength;
                if (!undefined && itemEnd > end) {
                    throw new DicomException("item " + (list.size() + 1) + " of " + name(tag) + " (length " + itemLength
                            + ") at " + at(pos) + " runs past the end of its sequence at " + at(end));
                }
                if (enclosingEnd >= 0 && itemEnd > enclosingEnd) {
                    throw new DicomException("item " + (list.size() + 1) + " of " + name(tag) + " (length " + itemLength
                            + ") at " + at(pos) + " runs past the end of the enclosing item at " + at(enclosingEnd));
                }
                require(itemValue, itemLength, tag, "item " + (list.size() + 1) + " (length " + itemLength + ") in sequence");
                pos = parseDataSet(item, itemValue, itemEnd, depth + 1, tag);
            }
            list.add(item);
        }
        obj.addParsed(tag, VR.SQ, valuePos, undefined ? DicomObject.UNDEFINED_LENGTH : (int) length, list);
        return pos;
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
            require(pos, 8, tag, "fragment header (no Sequence Delimitation Item before the end) in encapsulated");
            int itemTag = src.tag(pos, bigEndian);
            long len = src.u32(pos + 4, bigEndian);
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
