package io.roentgen.spark;

import io.roentgen.datasets.DicomDataset;
import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.models.Classifier;

/**
 * The one place where this module turns a DICOM object into a tensor, through the public API of
 * the model and of the preprocessing spec, so that a change there is a change here only.
 */
final class Preparation {
    private Preparation() {}

    /** The model's input, exactly as {@code roentgen predict} and the server make it (first frame). */
    static FloatImage forModel(Classifier model, DicomObject dicom) throws DicomException {
        return Preprocessing.of(model.preprocessing()).apply(dicom, 0);
    }

    /** What the tensor cache stores: decode and geometry, before normalisation, as training caches it. */
    static FloatImage forCache(PreprocessingSpec spec, DicomObject dicom) throws DicomException {
        Preprocessing preprocessing = Preprocessing.of(spec);
        return preprocessing.geometry(preprocessing.window(dicom, DicomDataset.FRAME));
    }
}
