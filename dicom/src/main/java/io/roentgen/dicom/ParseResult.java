package io.roentgen.dicom;

/**
 * What one parse of a data set gives back.
 *
 * @param dataset                the elements parsed
 * @param end                    the position after the last byte parsed (where the data set after
 *                               the File Meta group begins, for a meta parse)
 * @param pixelDataPosition      the position of the top-level Pixel Data tag, or -1
 * @param stoppedBeforePixelData true when the parse stopped there, as asked, without its value
 */
record ParseResult(DicomObject dataset, int end, long pixelDataPosition, boolean stoppedBeforePixelData) {}
