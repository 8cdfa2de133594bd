package io.roentgen.server.routes;

import io.roentgen.dicom.image.FloatImage;

/** A parsed, preprocessed DICOM instance ready for the batcher, with the UIDs its answer names. */
record PreparedInstance(String sopClassUid, String sopInstanceUid, String seriesUid, String studyUid, FloatImage image) {}
