package io.roentgen.cli;

import io.roentgen.dicom.deid.BurnedInMasks;
import io.roentgen.dicom.deid.DeidBatch;
import io.roentgen.dicom.deid.DeidConfig;
import io.roentgen.dicom.deid.DeidOption;
import io.roentgen.dicom.deid.Deidentifier;
import io.roentgen.dicom.deid.MappingFile;
import io.roentgen.dicom.deid.ProjectKey;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code roentgen deid}: PS3.15 de-identification of files and folders; the work is in io.roentgen.dicom.deid. */
@Command(
        name = "deid",
        mixinStandardHelpOptions = true,
        description = {"De-identify DICOM with the PS3.15 Basic Application Level Confidentiality Profile and its options.",
            "UIDs become 2.25.<HMAC-SHA256(key, UID)>; outputs are OUT/study/series/instance.dcm; runs resume."},
        footer = {"", "Examples:", "  head -c 32 /dev/urandom > project.key",
            "  roentgen deid /pacs/export --out /data/deid --key-file project.key --retain-longitudinal modified"})
final class DeidCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "IN", arity = "1..*", description = "DICOM files or folders (searched recursively).")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;
    @Option(names = "--key-file", required = true, paramLabel = "K", description = "The project key (16 bytes or more).")
    Path keyFile;
    @Option(names = "--profile", defaultValue = "basic", description = "The profile: basic (the only one).")
    String profile;
    @Option(names = "--retain-uids", description = "Keep UIDs (113110).") boolean retainUids;
    @Option(names = "--retain-longitudinal", paramLabel = "full|modified", description = "Keep dates, or shift them per patient (113106/113107).") String longitudinal;
    @Option(names = "--retain-device-identity", description = "Keep device identity (113109).") boolean deviceIdentity;
    @Option(names = "--retain-institution-identity", description = "Keep institution identity (113112).") boolean institutionIdentity;
    @Option(names = "--retain-patient-characteristics", description = "Keep sex, age, size, weight... (113108).") boolean patientCharacteristics;
    @Option(names = "--clean-descriptors", description = "Keep descriptions, cleaned of identifiers (113105).") boolean cleanDescriptors;
    @Option(names = "--clean-structured-content", description = "Keep SR content, cleaned (113104).") boolean cleanStructuredContent;
    @Option(names = "--clean-graphics", description = "Keep graphic annotations, cleaned (113103).") boolean cleanGraphics;
    @Option(names = "--retain-safe-private", description = "Keep private tags on the safe list (113111).") boolean safePrivate;

    @Option(names = "--burned-in", defaultValue = "refuse", paramLabel = "refuse|mask:REGIONS.json",
            description = "Images that may carry burned-in text (Burned In Annotation YES, US, SC): refuse (default), or mask per device.")
    String burnedIn;
    @Option(names = "--map-out", paramLabel = "MAP.csv", description = "Write original-to-new IDs and UIDs (re-identifies: keep it safe).")
    Path mapOut;
    @Option(names = "--threads", description = "Worker threads (default: up to 4).")
    int threads = DeidBatch.defaultThreads();
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws RoentgenException, IOException, InterruptedException {
        if (!profile.equals("basic")) {
            throw RoentgenException.usage("--profile: only basic is supported");
        }
        Deidentifier deid = new Deidentifier(new DeidConfig(key(), options(), masks(), mapOut != null));
        List<Path> files = DeidBatch.listInputs(inputs);
        DeidBatch.Report r = new DeidBatch(deid, threads).run(files, out, this::progress);
        System.err.println();
        if (mapOut != null) {
            MappingFile.write(mapOut, deid);
        }
        print(r);
        return r.failed().isEmpty() ? 0 : 1;
    }

    private ProjectKey key() throws RoentgenException {
        try {
            return ProjectKey.read(keyFile);
        } catch (IOException | IllegalArgumentException e) {
            throw RoentgenException.usage("--key-file " + keyFile + ": " + e.getMessage());
        }
    }

    private Set<DeidOption> options() throws RoentgenException {
        Set<DeidOption> o = EnumSet.noneOf(DeidOption.class);
        if (longitudinal != null) {
            switch (longitudinal) {
                case "full" -> o.add(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES);
                case "modified" -> o.add(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES);
                default -> throw RoentgenException.usage("--retain-longitudinal: full or modified, not " + longitudinal);
            }
        }
        add(o, retainUids, DeidOption.RETAIN_UIDS);
        add(o, deviceIdentity, DeidOption.RETAIN_DEVICE_IDENTITY);
        add(o, institutionIdentity, DeidOption.RETAIN_INSTITUTION_IDENTITY);
        add(o, patientCharacteristics, DeidOption.RETAIN_PATIENT_CHARACTERISTICS);
        add(o, cleanDescriptors, DeidOption.CLEAN_DESCRIPTORS);
        add(o, cleanStructuredContent, DeidOption.CLEAN_STRUCTURED_CONTENT);
        add(o, cleanGraphics, DeidOption.CLEAN_GRAPHICS);
        add(o, safePrivate, DeidOption.RETAIN_SAFE_PRIVATE);
        return o;
    }

    private static void add(Set<DeidOption> set, boolean flag, DeidOption option) {
        if (flag) set.add(option);
    }

    private BurnedInMasks masks() throws RoentgenException {
        if (burnedIn.equals("refuse")) {
            return null;
        }
        if (!burnedIn.startsWith("mask:")) {
            throw RoentgenException.usage("--burned-in: refuse or mask:REGIONS.json, not " + burnedIn);
        }
        try {
            return BurnedInMasks.read(Path.of(burnedIn.substring(5)));
        } catch (IOException | RuntimeException e) {
            throw RoentgenException.usage("--burned-in " + burnedIn + ": " + e.getMessage());
        }
    }

    private long lastProgress;

    /** One line, redrawn at most 5 times a second (and at the end), from whichever worker finished a file. */
    private synchronized void progress(DeidBatch.Progress p) {
        long now = System.nanoTime();
        if (p.done() == p.total() || now - lastProgress > 200_000_000L) {
            lastProgress = now;
            System.err.print("\rdeid " + p.done() + "/" + p.total() + " files, " + p.refused() + " refused or failed, " + p.skipped() + " already done");
        }
    }

    private void print(DeidBatch.Report r) {
        if (json) {
            System.out.println(Json.of(r.asMap()));
            return;
        }
        System.out.println(r.summary());
        r.refused().forEach(p -> System.out.println("refused " + p.file() + ": " + p.reason()));
        r.failed().forEach(p -> System.out.println("failed " + p.file() + ": " + p.reason()));
    }
}
