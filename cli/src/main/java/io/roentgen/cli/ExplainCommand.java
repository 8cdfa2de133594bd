package io.roentgen.cli;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.Explainer;
import io.roentgen.models.explain.Explanation;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.models.explain.ExplanationFiles;
import io.roentgen.models.explain.ExplanationReport;
import io.roentgen.models.scoring.DicomInputs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code roentgen explain}: Grad-CAM or Grad-CAM++ maps for DICOM files, written to a folder as a
 * PNG overlay, a JSON file with the scores and the raw map and, with {@code --dicom sc|seg}, a DICOM
 * Secondary Capture or a fractional Segmentation. One line per file, or a JSON array with {@code --json}; exit code 1 if any
 * file failed.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = "Explain a model's answer for DICOM files with Grad-CAM or Grad-CAM++ (Roentgen bundles only).",
        footer = {"", "Examples:", "  roentgen explain --model runs/nodules/bundle scan.dcm --out maps",
            "  roentgen explain --model m.zip studies/ --out maps --method gradcam++ --class nodule --dicom sc"})
final class ExplainCommand implements Callable<Integer> {
    enum DicomOutput { sc, seg, none }

    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "Model bundle: a directory or a .zip.")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "DICOM files, or folders to walk for them.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the maps.")
    Path out;

    @Option(names = "--method", paramLabel = "gradcam|gradcam++", description = "Default ${DEFAULT-VALUE}.")
    String method = "gradcam";

    @Option(names = "--class", paramLabel = "LABEL", description = "Class to explain (default: the predicted one).")
    String label;

    @Option(names = "--layer", paramLabel = "NAME", description = "Target layer, e.g. layer4, features.denseblock4 "
            + "(default: the architecture's last convolutional stage).")
    String layer;

    @Option(names = "--dicom", paramLabel = "sc|seg|none", description = "Also write a DICOM Secondary Capture or a "
            + "fractional Segmentation (default ${DEFAULT-VALUE}).")
    DicomOutput dicom = DicomOutput.none;

    @Option(names = "--json", description = "Print a JSON array instead of one line per file.")
    boolean json;

    @Option(names = "--devices", paramLabel = "SPEC", description = "auto, cpu, gpu, gpu:N (default ${DEFAULT-VALUE}).")
    String devices = "auto";

    @Override
    public Integer call() throws RoentgenException {
        CamMethod cam = CamMethod.parse(method);
        List<Path> files = DicomInputs.expand(inputs);
        if (files.isEmpty()) {
            throw RoentgenException.usage("no DICOM files found in " + inputs);
        }
        List<ExplanationReport> reports = new ArrayList<>();
        boolean failed = false;
        Set<String> stems = new HashSet<>();
        try (Explainer explainer = Explainer.load(model, PredictCommand.firstDevice(devices), layer)) {
            for (Path file : files) {
                try {
                    DicomObject dicom = DicomReader.defaults().read(file);
                    FloatImage image = explainer.prepare(dicom);
                    Explanation e = explainer.explain(image, cam, label);
                    ExplanationFiles.write(out, stem(file, stems), dicom, image, e, explainer,
                            this.dicom == DicomOutput.none ? null : ExplanationDicom.parse(this.dicom.name()), file.toString());
                    reports.add(ExplanationReport.of(file.toString(), e));
                    if (!json) {
                        System.out.printf(Locale.ROOT, "%s\t%s\t%s p=%.4f\tmax %.4g%n", file, e.method().id(), e.label(),
                                e.scores().probability(e.label()), e.raw().max());
                    }
                } catch (IOException | DicomException e) {
                    System.err.println("roentgen: " + file + ": " + e.getMessage());
                    failed = true;
                }
            }
        }
        if (json) {
            System.out.println(Json.of(reports));
        }
        return failed ? ErrorHandler.RUNTIME_ERROR : 0;
    }

    /** The file name without {@code .dcm}, numbered when two inputs share it. */
    private static String stem(Path file, Set<String> taken) {
        String name = file.getFileName().toString().replaceFirst("(?i)\\.dcm$", "");
        String stem = name;
        for (int i = 2; !taken.add(stem); i++) {
            stem = name + "-" + i;
        }
        return stem;
    }
}
