package io.roentgen.training.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;

/**
 * The Gson set-up for run files: undefined metrics (NaN, e.g. AUROC of a class without
 * positives) are written as {@code null}, which every JSON reader accepts, and read back as NaN.
 */
public final class Json {
    private static final TypeAdapter<Double> NAN_AS_NULL = new TypeAdapter<>() {
        @Override
        public void write(JsonWriter out, Double value) throws IOException {
            if (value == null || value.isNaN() || value.isInfinite()) {
                out.nullValue();
            } else {
                out.value(value.doubleValue());
            }
        }

        @Override
        public Double read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return Double.NaN;
            }
            return in.nextDouble();
        }
    };

    private Json() {
    }

    /** One object per line, for JSONL. */
    public static Gson compact() {
        return builder().create();
    }

    public static Gson pretty() {
        return builder().setPrettyPrinting().create();
    }

    private static GsonBuilder builder() {
        return new GsonBuilder()
                .registerTypeAdapter(Double.class, NAN_AS_NULL)
                .registerTypeAdapter(double.class, NAN_AS_NULL);
    }
}
