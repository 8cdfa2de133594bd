package io.roentgen.dicom.deid;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-device regions of burned-in text (REGIONS.json), as pydicom deid's recipes keep them:
 * <pre>{"masks": [{"manufacturer": "ACME", "model": "Sono 5", "rows": 480, "columns": 640,
 *   "regions": [{"x": 0, "y": 0, "width": 640, "height": 48}]}]}</pre>
 * A mask applies to an image whose Manufacturer, Manufacturer's Model Name, Rows and Columns
 * equal the ones given (a field left out matches anything); the first that applies wins.
 */
public final class BurnedInMasks {
    /** A rectangle of the image in pixels, top-left origin. */
    public record Region(int x, int y, int width, int height) {}

    /** One device's mask. */
    public record Mask(String manufacturer, String model, Integer rows, Integer columns, List<Region> regions) {
        boolean appliesTo(DicomObject ds) {
            return same(manufacturer, ds.getString(Tag.Manufacturer)) && same(model, ds.getString(Tag.ManufacturerModelName))
                    && (rows == null || rows == ds.getInt(Tag.Rows, -1))
                    && (columns == null || columns == ds.getInt(Tag.Columns, -1));
        }

        private static boolean same(String wanted, String actual) {
            return wanted == null || actual != null && wanted.strip().equalsIgnoreCase(actual.strip());
        }
    }

    private final List<Mask> masks;

    public BurnedInMasks(List<Mask> masks) {
        this.masks = List.copyOf(masks);
    }

    /** The mask for this image's device, or null. */
    public Mask maskFor(DicomObject ds) {
        return masks.stream().filter(m -> m.appliesTo(ds)).findFirst().orElse(null);
    }

    public static BurnedInMasks read(Path file) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        List<Mask> masks = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("masks")) {
            JsonObject m = e.getAsJsonObject();
            List<Region> regions = new ArrayList<>();
            JsonArray rs = m.getAsJsonArray("regions");
            for (JsonElement r : rs) {
                JsonObject o = r.getAsJsonObject();
                Region region = new Region(o.get("x").getAsInt(), o.get("y").getAsInt(), o.get("width").getAsInt(), o.get("height").getAsInt());
                if (region.x() < 0 || region.y() < 0 || region.width() <= 0 || region.height() <= 0) {
                    throw new IOException(file + ": a region needs x, y >= 0 and width, height > 0: " + o);
                }
                regions.add(region);
            }
            masks.add(new Mask(text(m, "manufacturer"), text(m, "model"), number(m, "rows"), number(m, "columns"), regions));
        }
        return new BurnedInMasks(masks);
    }

    private static String text(JsonObject o, String name) {
        return o.has(name) ? o.get(name).getAsString().toUpperCase(Locale.ROOT) : null;
    }

    private static Integer number(JsonObject o, String name) {
        return o.has(name) ? o.get(name).getAsInt() : null;
    }
}
