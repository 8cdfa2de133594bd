package io.roentgen.training.evaluation;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;

/**
 * The Gson set-up of evaluation reports. JSON has no NaN: an undefined metric is written as
 * null. Nulls are written, not left out, so every report has the same keys.
 */
final class EvaluationJson {
    private static final TypeAdapter<Double> NAN_AS_NULL = new TypeAdapter<>() {
        @Override
        public void write(JsonWriter out, Double value) throws IOException {
            if (value == null || !Double.isFinite(value)) {
                out.nullValue();
            } else {
                out.value(value.doubleValue());
            }
        }

        @Override
        public Double read(JsonReader in) {
            throw new UnsupportedOperationException("evaluation reports are written, not read");
        }
    };

    static final Gson GSON = new GsonBuilder().registerTypeAdapter(double.class, NAN_AS_NULL)
            .registerTypeAdapter(Double.class, NAN_AS_NULL).setPrettyPrinting().disableHtmlEscaping().serializeNulls()
            .create();

    private EvaluationJson() {}
}
