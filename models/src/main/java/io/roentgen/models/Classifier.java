package io.roentgen.models;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.engine.RoentgenException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model bundle loaded on one device, ready to score. Preprocessing (DICOM to {@link FloatImage})
 * is the caller's, with {@link #preprocessing()}, so it can run on many threads while the forward
 * pass is batched.
 *
 * <p>Not thread-safe: DJL predictors are not, so a server keeps one classifier per worker
 * (per device replica) and calls {@link #predict} from that worker only.
 */
public interface Classifier extends AutoCloseable {

    /** What the model is: name, version, labels, task, input shape, thresholds, provenance. */
    ModelCard card();

    /** The preprocessing the model was trained with. */
    PreprocessingSpec preprocessing();

    /**
     * One forward pass over a batch of preprocessed images, each of the card's input shape
     * (C x H x W). Runs without gradients.
     *
     * @throws RoentgenException when an image has the wrong shape, or the engine fails
     */
    List<Scores> predict(List<FloatImage> batch) throws RoentgenException;

    /**
     * Scores the first frame of a parsed DICOM instance: {@code Preprocessing.of(preprocessing()).apply(dicom, 0)},
     * then {@link #predict(List)}.
     *
     * @throws DicomException when the pixels cannot be decoded
     */
    default Scores predict(DicomObject dicom) throws DicomException, RoentgenException {
        return predict(List.of(Preprocessing.of(preprocessing()).apply(dicom, 0))).get(0);
    }

    /**
     * Reads and scores a DICOM file (first frame). An unreadable file is a RoentgenException
     * whose message starts with the path.
     */
    default Scores predict(Path dicomFile) throws RoentgenException {
        DicomObject dicom;
        try {
            dicom = DicomReader.defaults().read(dicomFile);
            return predict(dicom);
        } catch (IOException e) {
            throw new RoentgenException(dicomFile + ": cannot read: " + e.getMessage(), false, e);
        } catch (DicomException e) {
            throw new RoentgenException(dicomFile + ": " + e.getMessage(), false, e);
        }
    }

    /** Releases the model's native memory. */
    @Override
    void close();
}
