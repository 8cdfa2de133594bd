package io.roentgen.spark;

import io.roentgen.models.Scores;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import scala.jdk.javaapi.CollectionConverters;

import java.util.LinkedHashMap;
import java.util.Map;

/** The columns {@link RoentgenSpark#score} returns, and one row of them. */
public final class ScoreRow {
    public static final String PATH = "path";
    public static final String SOP_INSTANCE_UID = "sop_instance_uid";
    public static final String SERIES_INSTANCE_UID = "series_instance_uid";
    public static final String STUDY_INSTANCE_UID = "study_instance_uid";
    public static final String MODALITY = "modality";
    public static final String LABEL = "label";
    public static final String PROBABILITIES = "probabilities";
    public static final String THRESHOLD = "threshold";
    public static final String MODEL_NAME = "model_name";
    public static final String MODEL_VERSION = "model_version";
    public static final String BUNDLE_HASH = "bundle_hash";
    public static final String ERROR = "error";

    public static final StructType SCHEMA = new StructType()
            .add(PATH, DataTypes.StringType, false)
            .add(SOP_INSTANCE_UID, DataTypes.StringType)
            .add(SERIES_INSTANCE_UID, DataTypes.StringType)
            .add(STUDY_INSTANCE_UID, DataTypes.StringType)
            .add(MODALITY, DataTypes.StringType)
            .add(LABEL, DataTypes.StringType)
            .add(PROBABILITIES, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false))
            .add(THRESHOLD, DataTypes.DoubleType)
            .add(MODEL_NAME, DataTypes.StringType, false)
            .add(MODEL_VERSION, DataTypes.StringType, false)
            .add(BUNDLE_HASH, DataTypes.StringType, false)
            .add(ERROR, DataTypes.StringType);

    /** The identity of one instance, from its header; any part may be null. */
    record Instance(String sop, String series, String study, String modality) {
        static final Instance UNKNOWN = new Instance(null, null, null, null);
    }

    private ScoreRow() {}

    static Row scored(String path, Instance instance, Scores scores, BundleRef bundle) {
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int i = 0; i < scores.labels().size(); i++) {
            probabilities.put(scores.labels().get(i), (double) scores.probabilities()[i]);
        }
        String label = scores.top();
        Double threshold = label == null ? null : (double) scores.thresholds()[scores.labels().indexOf(label)];
        // Rows take Scala maps for map columns.
        return RowFactory.create(path, instance.sop(), instance.series(), instance.study(), instance.modality(), label,
                CollectionConverters.asScala(probabilities), threshold, bundle.name(), bundle.version(), bundle.hash(), null);
    }

    static Row failed(String path, Instance instance, String error, BundleRef bundle) {
        return RowFactory.create(path, instance.sop(), instance.series(), instance.study(), instance.modality(), null,
                null, null, bundle.name(), bundle.version(), bundle.hash(), error);
    }
}
