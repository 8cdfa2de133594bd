package io.roentgen.training.listen;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.training.run.EpochRecord;
import io.roentgen.training.run.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends one JSON object per epoch to {@code RUN/metrics.jsonl} (an {@link EpochRecord}:
 * epoch, learning rate, losses, accuracy, per-class AUROC/sensitivity/specificity/F1 and Youden
 * thresholds, images/s, seconds; undefined values are null). On resume, lines of epochs after the
 * resumed checkpoint (written before a crash, never checkpointed) are dropped first, so the file
 * always has exactly one line per finished epoch.
 */
public final class MetricsJsonlWriter implements TrainingListener {
    public static final String FILE_NAME = "metrics.jsonl";
    private final Gson gson = Json.compact();
    private Path file;

    @Override
    public void onTrainingStart(Start start) throws IOException {
        file = start.runDirectory().resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return;
        }
        List<String> kept = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .filter(line -> epochOf(line) <= start.completedEpochs())
                .toList();
        Files.write(file, kept, StandardCharsets.UTF_8);
    }

    @Override
    public void onEpochEnd(EpochEnd end) throws IOException {
        Files.writeString(file, gson.toJson(end.record()) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static int epochOf(String line) {
        JsonObject object = JsonParser.parseString(line).getAsJsonObject();
        return object.get("epoch").getAsInt();
    }

    /** Reads a metrics file back. */
    public static List<EpochRecord> read(Path file) throws IOException {
        Gson gson = Json.compact();
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .map(line -> gson.fromJson(line, EpochRecord.class))
                .toList();
    }
}
