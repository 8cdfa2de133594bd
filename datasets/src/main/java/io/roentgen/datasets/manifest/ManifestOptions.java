package io.roentgen.datasets.manifest;

import java.util.List;
import java.util.Objects;

/**
 * How to read a manifest.
 *
 * @param labelColumns one 0/1 column per finding (multi-label); empty means the {@code label}
 *     column holds class names
 * @param multiLabel whether the {@code label} column may hold several names ({@code a|b}) or none;
 *     implied by label columns
 * @param labelSeparator separator of several names in one {@code label} cell
 * @param classNames a fixed class list (for example a model bundle's), or empty to derive it
 * @param patientIdResolver fills patient IDs the manifest leaves blank
 * @param badFiles where missing files and files whose patient ID cannot be read go under
 *     {@code --on-bad-file}; null makes such a file an error naming its line
 */
public record ManifestOptions(
        List<String> labelColumns,
        boolean multiLabel,
        String labelSeparator,
        List<String> classNames,
        PatientIdResolver patientIdResolver,
        BadFileReport badFiles) {

    public ManifestOptions {
        labelColumns = List.copyOf(labelColumns);
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(labelSeparator, "labelSeparator");
        Objects.requireNonNull(patientIdResolver, "patientIdResolver");
        if (labelSeparator.isEmpty()) {
            throw new IllegalArgumentException("label separator must not be empty");
        }
    }

    /** Single-label, class names from the {@code label} column, missing files are errors. */
    public static ManifestOptions defaults() {
        return new ManifestOptions(List.of(), false, "|", List.of(), PatientIdResolver.NONE, null);
    }

    /** Multi-label from one 0/1 column per finding; classes in the order given here. */
    public ManifestOptions withLabelColumns(List<String> columns) {
        return new ManifestOptions(columns, true, labelSeparator, classNames, patientIdResolver, badFiles);
    }

    /** Multi-label from {@code a|b} names in the {@code label} column. */
    public ManifestOptions withMultiLabel() {
        return new ManifestOptions(labelColumns, true, labelSeparator, classNames, patientIdResolver, badFiles);
    }

    public ManifestOptions withLabelSeparator(String separator) {
        return new ManifestOptions(labelColumns, multiLabel, separator, classNames, patientIdResolver, badFiles);
    }

    /** Uses exactly these classes in this order; a label outside them is an error. */
    public ManifestOptions withClassNames(List<String> names) {
        return new ManifestOptions(labelColumns, multiLabel, labelSeparator, names, patientIdResolver, badFiles);
    }

    public ManifestOptions withPatientIdResolver(PatientIdResolver resolver) {
        return new ManifestOptions(labelColumns, multiLabel, labelSeparator, classNames, resolver, badFiles);
    }

    public ManifestOptions withBadFiles(BadFileReport report) {
        return new ManifestOptions(labelColumns, multiLabel, labelSeparator, classNames, patientIdResolver, report);
    }

    boolean usesLabelColumns() {
        return !labelColumns.isEmpty();
    }
}
