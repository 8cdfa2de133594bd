package io.roentgen.server.routes;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.sr.SourceImage;

/**
 * A parsed, preprocessed DICOM instance ready for the batcher, with the UIDs its answer names,
 * what an SR needs of it ({@code source}; null when the instance lacks the UIDs a report needs)
 * and what an explanation's SC or SEG needs ({@code header}: patient, study, UIDs, geometry; no pixels).
 */
record PreparedInstance(String sopClassUid, String sopInstanceUid, String seriesUid, String studyUid, FloatImage image,
        SourceImage source, DicomObject header) {}
