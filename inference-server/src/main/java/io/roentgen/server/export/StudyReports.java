package io.roentgen.server.export;

import io.roentgen.dicom.sr.AlgorithmId;
import io.roentgen.dicom.sr.ClassProbability;
import io.roentgen.dicom.sr.LabelCodes;
import io.roentgen.dicom.sr.ScoredImage;
import io.roentgen.dicom.sr.SourceImage;
import io.roentgen.dicom.sr.StudyReport;
import io.roentgen.models.Scores;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.bundle.BundleCodes;
import io.roentgen.models.bundle.BundleHash;
import io.roentgen.models.bundle.BundleJson;
import io.roentgen.server.repository.ServedModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The adapter from a served model's answers to the model-free {@link StudyReport}: the algorithm
 * is the model's name, version and the SHA-256 of its bundle; labels take the codes the bundle's
 * {@code model.json} gives under {@code "codes"} ({@code {"abnormal": {"value": "263654008",
 * "scheme": "SCT", "meaning": "Abnormal"}}}), else the local scheme.
 */
public final class StudyReports {
    /** Per bundle folder: hashing a bundle reads all its weights, so once per loaded version. */
    private final Map<Path, Bundle> bundles = new ConcurrentHashMap<>();

    private record Bundle(AlgorithmId algorithm, LabelCodes codes) {}

    /** One classified instance of the study. */
    public record Scored(SourceImage source, Scores scores) {}

    /** The report of the given instances of one study, scored by this model. */
    public StudyReport report(ServedModel model, List<Scored> instances) throws IOException {
        Bundle bundle = bundle(model);
        List<ScoredImage> images = new ArrayList<>();
        for (Scored s : instances) {
            List<ClassProbability> classes = new ArrayList<>();
            Scores scores = s.scores();
            for (int i = 0; i < scores.labels().size(); i++) {
                classes.add(new ClassProbability(scores.labels().get(i), scores.probabilities()[i]));
            }
            images.add(new ScoredImage(s.source(), classes));
        }
        return new StudyReport(bundle.algorithm(), bundle.codes(), images);
    }

    private Bundle bundle(ServedModel model) throws IOException {
        Path dir = model.directory();
        Bundle cached = bundles.get(dir);
        if (cached == null) {
            cached = new Bundle(new AlgorithmId(model.name(), model.version(), BundleHash.of(dir)), labelCodes(dir));
            bundles.put(dir, cached);
        }
        return cached;
    }

    /** The {@code "codes"} object of the bundle's model.json; empty (local codes) when absent. */
    public static LabelCodes labelCodes(Path bundle) throws IOException {
        try {
            return BundleCodes.read(bundle);
        } catch (RoentgenException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
