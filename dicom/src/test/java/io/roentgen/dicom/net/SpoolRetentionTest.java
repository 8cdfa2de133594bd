package io.roentgen.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.Uids;

/**
 * Spool retention deletes scored instances whose scoring is older than the retention, with their
 * markers and emptied folders, and never an unscored instance, however old its file.
 */
class SpoolRetentionTest {
    private static final String CT = SyntheticStudy.CT_IMAGE_STORAGE;

    @TempDir
    Path tmp;

    @Test
    void onlyScoredInstancesPastRetentionAreDeleted() throws Exception {
        String scoredOld = Uids.generate();
        String scoredRecent = Uids.generate();
        String unscored = Uids.generate();
        List<String> completed = new CopyOnWriteArrayList<>();
        try (StudyAssembler assembler = new StudyAssembler(100, (ae, study, instances) -> {
                    if (study.equals(unscored)) {
                        throw new IllegalStateException("not scored yet");
                    }
                    completed.add(study);
                });
                ScpFixture scp = new ScpFixture(ScpFixture.config(tmp), assembler)) {
            store(scp, scoredOld, 2);
            store(scp, scoredRecent, 1);
            store(scp, unscored, 2);
            for (int i = 0; i < 200 && completed.size() < 2; i++) {
                Thread.sleep(25);
            }
            assertEquals(2, completed.size());
            Path studies = scp.scp.spool().studies().resolve("MODALITY");
            Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
            for (Path p : files(studies.resolve(scoredOld))) {
                Files.setLastModifiedTime(p, FileTime.from(twoDaysAgo)); // instances and markers alike
            }
            for (Path p : files(studies.resolve(unscored))) {
                Files.setLastModifiedTime(p, FileTime.from(twoDaysAgo)); // old, but never scored
            }
            long before = scp.scp.spool().sizeBytes();

            assertEquals(2, scp.scp.spool().pruneScored(Instant.now().minus(Duration.ofDays(1))));
            assertFalse(Files.exists(studies.resolve(scoredOld)), "the emptied study folder goes too");
            assertEquals(2, files(studies.resolve(scoredRecent)).size(), "an instance and its marker, scored just now");
            assertEquals(2, files(studies.resolve(unscored)).size(), "unscored instances stay");
            assertTrue(files(studies.resolve(unscored)).stream().noneMatch(p -> p.toString().endsWith(".done")));
            assertTrue(scp.scp.spool().sizeBytes() < before);

            // A study sent again after its folder was pruned lands and is scored again.
            store(scp, scoredOld, 1);
            for (int i = 0; i < 200 && completed.size() < 3; i++) {
                Thread.sleep(25);
            }
            assertEquals(3, completed.size());
            assertEquals(0, scp.scp.spool().pruneScored(Instant.now().minus(Duration.ofDays(1))));
        }
        try (StudyAssembler again = new StudyAssembler(100, (ae, study, instances) -> { })) {
            assertEquals(2, again.rescan(new Spool(tmp, 0)), "after a restart only the unscored study is due");
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static void store(ScpFixture scp, String study, int count) throws Exception {
        String series = Uids.generate();
        try (DicomScu scu = DicomScu.connect("127.0.0.1", scp.port(), "MODALITY", ScpFixture.AE,
                List.of(DicomScu.context(1, CT, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid())), 5_000)) {
            for (int i = 0; i < count; i++) {
                DicomObject ds = SyntheticStudy.slice(study, series, i, 8);
                assertEquals(Status.SUCCESS, scu.store(1, CT, ds.getString(Tag.SOPInstanceUID), ScpRejectionTest.encode(ds))
                        .getInt(CommandSet.STATUS, -1));
            }
            scu.release();
        }
    }
}
