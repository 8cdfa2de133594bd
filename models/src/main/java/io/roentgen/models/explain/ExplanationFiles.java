package io.roentgen.models.explain;

import com.google.gson.Gson;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.image.FloatImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one explanation next to its siblings in an output folder: {@code STEM.png} (the overlay),
 * {@code STEM.json} ({@link ExplanationReport}, with the raw map) and, when asked, {@code STEM.sc.dcm}
 * or {@code STEM.seg.dcm} ({@link ExplanationDicom}, explicit VR little endian).
 */
public final class ExplanationFiles {
    private static final Gson GSON = new Gson();

    private ExplanationFiles() {}

    /** The files written, PNG first; {@code dicom} null writes no DICOM object. */
    public static List<Path> write(Path directory, String stem, DicomObject source, FloatImage image, Explanation e,
            Explainer explainer, ExplanationDicom dicom, String sourceName) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        Path png = directory.resolve(stem + ".png");
        Files.write(png, Overlay.png(image, e.map()));
        written.add(png);
        Path json = directory.resolve(stem + ".json");
        Files.writeString(json, GSON.toJson(ExplanationReport.of(sourceName, e)), StandardCharsets.UTF_8);
        written.add(json);
        if (dicom != null) {
            Path file = directory.resolve(stem + dicom.suffix());
            DicomWriter.explicitLittleEndian().write(dicom.of(source, image, e, explainer), file);
            written.add(file);
        }
        return written;
    }
}
