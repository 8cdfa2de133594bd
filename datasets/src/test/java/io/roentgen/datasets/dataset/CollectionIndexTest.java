package io.roentgen.datasets.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.datasets.CollectionIndex;
import io.roentgen.datasets.DicomCollection;
import io.roentgen.datasets.IndexedFile;
import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.engine.RoentgenException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionIndexTest {
    @TempDir
    Path temp;

    @Test
    void theIndexIsCachedBesideTheManifestReusedAndInvalidatedByAChange() throws Exception {
        Path manifestCsv = SynthFixture.write(temp, 6).manifest();
        List<Path> files = Manifest.readCsv(manifestCsv, ManifestOptions.defaults()).entries().stream()
                .map(ManifestEntry::path).toList();

        CollectionIndex first = CollectionIndex.beside(manifestCsv);
        List<IndexedFile> entries = first.entries(files);
        assertEquals(files.size(), first.readCount());
        first.save();
        assertTrue(Files.isRegularFile(temp.resolve(CollectionIndex.FILE_NAME)));
        IndexedFile one = entries.get(0);
        DicomObject header = DicomReader.builder().stopBeforePixelData(true).build().read(one.path());
        assertEquals(header.getString(Tag.PatientID), one.patientId());
        assertEquals(header.getString(Tag.StudyInstanceUID), one.studyUid());
        assertEquals("CT", one.modality());
        assertEquals(64, one.rows());
        assertEquals(64, one.columns());
        assertEquals(1, one.frames());
        assertEquals("1.2.840.10008.1.2.1", one.transferSyntaxUid());
        assertEquals("MONOCHROME2", one.photometric());
        assertNull(one.error());

        CollectionIndex second = CollectionIndex.beside(manifestCsv);
        assertEquals(entries, second.entries(files));
        assertEquals(0, second.readCount(), "every entry from the cache");
        assertEquals(files.size(), second.reusedCount());

        Path changed = files.get(1);
        Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5000));
        CollectionIndex third = CollectionIndex.beside(manifestCsv);
        third.entries(files);
        assertEquals(1, third.readCount(), "only the touched file is read again");
    }

    @Test
    void aDamagedCacheFileIsIgnoredAndRewritten() throws Exception {
        Path manifestCsv = SynthFixture.write(temp, 2).manifest();
        Files.writeString(temp.resolve(CollectionIndex.FILE_NAME), "{not json");
        DicomCollection collection = DicomCollection.load(manifestCsv, ManifestOptions.defaults(), BadFilePolicy.SKIP);
        assertTrue(collection.index().readCount() > 0);
        assertTrue(Files.readString(temp.resolve(CollectionIndex.FILE_NAME)).contains("\"format\":1"));
    }

    @Test
    void patientIdsTheManifestLacksComeFromTheHeaders() throws Exception {
        Path manifestCsv = SynthFixture.write(temp, 5).manifest();
        List<String> lines = Files.readAllLines(manifestCsv);
        StringBuilder withoutIds = new StringBuilder("path,label\n");
        lines.stream().skip(1).forEach(l -> {
            String[] cells = l.split(",");
            withoutIds.append(cells[0]).append(',').append(cells[1]).append('\n');
        });
        Path bare = temp.resolve("bare.csv");
        Files.writeString(bare, withoutIds);
        Manifest full = Manifest.readCsv(manifestCsv, ManifestOptions.defaults());
        DicomCollection collection = DicomCollection.load(bare, ManifestOptions.defaults(), BadFilePolicy.SKIP);
        assertEquals(full.size(), collection.manifest().size());
        for (int i = 0; i < full.size(); i++) {
            assertEquals(full.entries().get(i).patientId(), collection.manifest().entries().get(i).patientId());
        }
        assertTrue(collection.badFiles().isEmpty());
    }

    @Test
    void aFileWithAnUnreadableHeaderIsReportedWithItsManifestLineOrFails() throws Exception {
        Path manifestCsv = SynthFixture.write(temp, 2).manifest();
        Files.writeString(temp.resolve("junk.dcm"), "not an image");
        Files.writeString(temp.resolve("bare.csv"), "path,label\njunk.dcm,normal\n" + "missing.dcm,normal\n");
        DicomCollection skipped = DicomCollection.load(temp.resolve("bare.csv"), ManifestOptions.defaults(), BadFilePolicy.SKIP);
        assertEquals(0, skipped.manifest().size());
        assertEquals(2, skipped.badFiles().count());
        assertTrue(skipped.badFiles().files().get(0).reason().contains("manifest line 2"), skipped.badFiles().files().toString());
        assertTrue(skipped.badFiles().files().get(1).reason().contains("file not found (manifest line 3)"));
        assertFalse(skipped.files().get(0).usable());

        RoentgenException e = assertThrows(RoentgenException.class,
                () -> DicomCollection.load(temp.resolve("bare.csv"), ManifestOptions.defaults(), BadFilePolicy.FAIL));
        assertTrue(e.getMessage().contains("junk.dcm"), e.getMessage());
        assertTrue(manifestCsv.toFile().exists());
    }
}
