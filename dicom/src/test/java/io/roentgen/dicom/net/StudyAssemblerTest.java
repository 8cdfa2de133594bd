package io.roentgen.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.Uids;

/** Studies complete after a quiet period, grouped by calling AE and study, each instance scored once across restarts. */
class StudyAssemblerTest {
    private static final String CT = SyntheticStudy.CT_IMAGE_STORAGE;

    record Completed(String ae, String study, Set<String> sops) {}

    @TempDir
    Path tmp;

    @Test
    void groupsByCallingAeAndStudyAndScoresOnceAcrossRestarts() throws Exception {
        List<Completed> completed = new CopyOnWriteArrayList<>();
        String studyA = Uids.generate();
        String studyB = Uids.generate();
        List<String> sentA = new ArrayList<>();
        try (StudyAssembler assembler = new StudyAssembler(300, (ae, study, instances) -> {
                    if (study.equals(studyB)) {
                        throw new IllegalStateException("the model is not ready");
                    }
                    completed.add(new Completed(ae, study, sops(instances)));
                });
                ScpFixture scp = new ScpFixture(ScpFixture.config(tmp), assembler)) {
            sentA.addAll(send(scp, "MOD_A", studyA, 3));
            send(scp, "MOD_B", studyA, 1); // same study from another AE: a separate group
            send(scp, "MOD_A", studyB, 2);
            awaitCompleted(completed, 2);
            // The failing study is tried again after its backoff (1 s), and stays pending.
            for (int i = 0; i < 200 && assembler.failedTries() < 2; i++) {
                Thread.sleep(25);
            }
            assertEquals(2, assembler.failedTries());
            assertEquals(1, assembler.pendingStudies());
            assertEquals(2, completed.size(), completed.toString());
            assertTrue(completed.contains(new Completed("MOD_A", studyA, new HashSet<>(sentA))));
            assertTrue(completed.stream().anyMatch(c -> c.ae().equals("MOD_B") && c.sops().size() == 1));
        }
        // A restart: only the study whose scoring failed comes back, exactly once.
        completed.clear();
        try (StudyAssembler assembler = new StudyAssembler(100, (ae, study, instances) ->
                completed.add(new Completed(ae, study, sops(instances))))) {
            assertEquals(2, assembler.rescan(new Spool(tmp, 0)));
            awaitCompleted(completed, 1);
            assertEquals("MOD_A", completed.get(0).ae());
            assertEquals(studyB, completed.get(0).study());
        }
        try (StudyAssembler assembler = new StudyAssembler(100, (ae, study, instances) -> { })) {
            assertEquals(0, assembler.rescan(new Spool(tmp, 0)), "everything is scored");
        }
    }

    @Test
    void aStudyWhoseListenerFailedIsRetriedInProcessAndCompletesOnce() throws Exception {
        List<Completed> completed = new CopyOnWriteArrayList<>();
        AtomicBoolean fail = new AtomicBoolean(true);
        String study = Uids.generate();
        try (StudyAssembler assembler = new StudyAssembler(100, (ae, s, instances) -> {
                    if (fail.getAndSet(false)) {
                        throw new java.io.IOException("the outbox cannot be written");
                    }
                    completed.add(new Completed(ae, s, sops(instances)));
                });
                ScpFixture scp = new ScpFixture(ScpFixture.config(tmp), assembler)) {
            List<String> sent = send(scp, "MOD_A", study, 2);
            awaitCompleted(completed, 1);
            assertEquals(1, assembler.failedTries());
            assertEquals(new Completed("MOD_A", study, new HashSet<>(sent)), completed.get(0));
            Thread.sleep(300); // a duplicate would come within a few ticks
            assertEquals(1, completed.size());
            assertEquals(0, assembler.pendingStudies());
        }
        try (StudyAssembler assembler = new StudyAssembler(100, (ae, s, instances) -> { })) {
            assertEquals(0, assembler.rescan(new Spool(tmp, 0)), "done markers after the retry");
        }
    }

    @Test
    void retryDelaysDoubleUpToFiveMinutes() {
        assertEquals(1_000_000_000L, StudyAssembler.retryDelay(1));
        assertEquals(4_000_000_000L, StudyAssembler.retryDelay(3));
        assertEquals(300_000_000_000L, StudyAssembler.retryDelay(40));
    }

    @Test
    void aeTitlesRoundTripThroughDirectoryNames() {
        for (String ae : List.of("MODALITY", "CT 1", "../ETC", "A_B", "x/y.z")) {
            String dir = Spool.directoryName(ae);
            assertTrue(dir.matches("[A-Za-z0-9_-]+"), dir);
            assertEquals(ae, Spool.aeTitleOf(dir));
        }
    }

    private static Set<String> sops(List<StoredInstance> instances) {
        Set<String> s = new HashSet<>();
        instances.forEach(i -> s.add(i.sopInstanceUid()));
        return s;
    }

    private static void awaitCompleted(List<Completed> completed, int n) throws InterruptedException {
        for (int i = 0; i < 200 && completed.size() < n; i++) {
            Thread.sleep(25);
        }
        assertEquals(n, completed.size(), completed.toString());
    }

    private static List<String> send(ScpFixture scp, String ae, String study, int count) throws Exception {
        List<String> sops = new ArrayList<>();
        String series = Uids.generate();
        try (DicomScu scu = DicomScu.connect("127.0.0.1", scp.port(), ae, ScpFixture.AE,
                List.of(DicomScu.context(1, CT, io.roentgen.dicom.TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid())), 5_000)) {
            for (int i = 0; i < count; i++) {
                DicomObject ds = SyntheticStudy.slice(study, series, i, 8);
                String sop = ds.getString(Tag.SOPInstanceUID);
                assertEquals(Status.SUCCESS, scu.store(1, CT, sop, ScpRejectionTest.encode(ds)).getInt(CommandSet.STATUS, -1));
                sops.add(sop);
            }
            scu.release();
        }
        assertTrue(Files.exists(scp.scp.spool().studies().resolve(Spool.directoryName(ae)).resolve(study)));
        return sops;
    }
}
