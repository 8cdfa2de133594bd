package io.roentgen.cli;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.split.Subset;
import io.roentgen.datasets.synth.Lesion;
import io.roentgen.datasets.synth.SynthLesions;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.dicom.image.PreprocessingSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The test split's positives of a synth collection, preprocessed for the model, with the lesions
 * synth recorded for each (in pixels of the written image, which the tests write at the model's
 * input size).
 */
record LesionPositives(List<FloatImage> images, List<List<Lesion>> lesions) {

    static LesionPositives of(Manifest split, Path synthManifest, PreprocessingSpec spec, String label)
            throws Exception {
        List<FloatImage> images = new ArrayList<>();
        List<List<Lesion>> lesions = new ArrayList<>();
        Map<Path, List<Lesion>> truth = SynthLesions.read(synthManifest);
        for (ManifestEntry entry : split.entries()) {
            if (Subset.TEST == Subset.parse(entry.split()) && entry.labelNames().contains(label)) {
                images.add(Preprocessing.of(spec).apply(DicomReader.defaults().read(entry.path()), 0));
                lesions.add(truth.get(entry.path().toAbsolutePath().normalize()));
            }
        }
        return new LesionPositives(List.copyOf(images), List.copyOf(lesions));
    }
}
