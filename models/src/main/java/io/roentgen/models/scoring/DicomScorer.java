package io.roentgen.models.scoring;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.Scores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Scores DICOM files with a classifier: each file is read and preprocessed with the model's own
 * preprocessing (first frame), in parallel within a batch, then the batch goes through one
 * forward pass. A file that cannot be read or decoded becomes a {@link FileScore} with an error;
 * the others are still scored.
 */
public final class DicomScorer {
    private final Classifier classifier;
    private final int batchSize;
    private final DicomReader reader = DicomReader.defaults();

    public DicomScorer(Classifier classifier, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.classifier = classifier;
        this.batchSize = batchSize;
    }

    /** One result per file, in the order given; {@code each} sees every result as it is ready. */
    public List<FileScore> score(List<Path> files, Consumer<FileScore> each) throws RoentgenException {
        List<FileScore> results = new ArrayList<>(files.size());
        for (int start = 0; start < files.size(); start += batchSize) {
            for (FileScore r : scoreBatch(files.subList(start, Math.min(files.size(), start + batchSize)))) {
                results.add(r);
                each.accept(r);
            }
        }
        return results;
    }

    private List<FileScore> scoreBatch(List<Path> files) throws RoentgenException {
        Prepared[] prepared = new Prepared[files.size()];
        IntStream.range(0, files.size()).parallel().forEach(i -> prepared[i] = prepare(files.get(i)));
        List<FloatImage> images = new ArrayList<>();
        for (Prepared p : prepared) {
            if (p.image != null) {
                images.add(p.image);
            }
        }
        List<Scores> scores = classifier.predict(images);
        List<FileScore> results = new ArrayList<>(files.size());
        int next = 0;
        for (Prepared p : prepared) {
            results.add(p.image == null ? p.failure
                    : new FileScore(p.file, p.study, p.series, p.instance, scores.get(next++), null));
        }
        return results;
    }

    private record Prepared(Path file, String study, String series, String instance, FloatImage image,
                            FileScore failure) {}

    private Prepared prepare(Path file) {
        try {
            if (Files.isDirectory(file)) {
                return failed(file, "is a directory");
            }
            DicomObject dicom = reader.read(file);
            FloatImage image = Preprocessing.of(classifier.preprocessing()).apply(dicom, 0);
            return new Prepared(file, dicom.getString(Tag.StudyInstanceUID), dicom.getString(Tag.SeriesInstanceUID),
                    dicom.getString(Tag.SOPInstanceUID), image, null);
        } catch (NoSuchFileException e) {
            return failed(file, "no such file");
        } catch (IOException e) {
            return failed(file, "cannot read: " + e.getMessage());
        } catch (DicomException e) {
            return failed(file, e.getMessage());
        } catch (RuntimeException e) {
            // A decoder bug must not take the other files down with it; the message says what.
            return failed(file, "cannot preprocess: " + e);
        }
    }

    private static Prepared failed(Path file, String error) {
        return new Prepared(file, null, null, null, null, FileScore.failure(file, file + ": " + error));
    }
}
