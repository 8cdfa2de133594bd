package io.roentgen.models.bundle;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.roentgen.dicom.sr.LabelCodes;
import io.roentgen.engine.RoentgenException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The codes a bundle gives its labels in {@code model.json}'s optional {@code "codes"} object
 * ({@code {"abnormal": {"value": "263654008", "scheme": "SCT", "meaning": "Abnormal"}}}); labels
 * without one are coded in the local scheme. One reader for every DICOM result (SR, SEG).
 */
public final class BundleCodes {

    private BundleCodes() {}

    /** The bundle's label codes (a directory or a zip); local codes when {@code "codes"} is absent. */
    public static LabelCodes read(Path bundle) throws RoentgenException {
        BundleFiles files = BundleFiles.open(bundle);
        if (!files.has(BundleManifest.FILE_NAME)) {
            return LabelCodes.local();
        }
        String text = new String(files.read(BundleManifest.FILE_NAME), StandardCharsets.UTF_8);
        JsonElement root = JsonParser.parseString(text);
        if (!root.isJsonObject()) {
            return LabelCodes.local();
        }
        // The bundle loader's own parser, so what `roentgen train --codes` wrote comes back the same.
        return new LabelCodes(BundleJson.codes(root.getAsJsonObject(), files.location() + ": model.json"));
    }
}
