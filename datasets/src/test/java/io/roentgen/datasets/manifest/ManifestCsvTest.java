package io.roentgen.datasets.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.DicomException;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCsvTest {
    @TempDir
    Path dir;

    @BeforeEach
    void images() throws IOException {
        for (String name : List.of("img/a.dcm", "img/b.dcm", "img/c.dcm", "img/d, e.dcm", "other/f.dcm")) {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[] {1, 2, 3});
        }
    }

    private Path csv(String text) throws IOException {
        return Files.writeString(dir.resolve("manifest.csv"), text, StandardCharsets.UTF_8);
    }

    @Test
    void resolvesPathsAgainstTheManifestFolderAndSortsClasses() throws Exception {
        Manifest manifest = Manifest.readCsv(csv("path,label\nimg/a.dcm,pneumonia\nimg/b.dcm,normal\n"
                + "../" + dir.getFileName() + "/img/c.dcm,effusion\n"), ManifestOptions.defaults());
        assertEquals(List.of("effusion", "normal", "pneumonia"), manifest.classNames());
        assertEquals(dir.resolve("img/a.dcm").toAbsolutePath(), manifest.entries().get(0).path());
        assertEquals(dir.resolve("img/c.dcm").toAbsolutePath(), manifest.entries().get(2).path());
        assertEquals(List.of(2), manifest.entries().get(0).labelIndices());
        assertEquals(List.of("pneumonia"), manifest.entries().get(0).labelNames());
        assertEquals(2, manifest.entries().get(0).line());
        assertEquals(List.of(1), manifest.entries().get(1).labelIndices());
        assertNull(manifest.entries().get(0).patientId());
    }

    @Test
    void readsOptionalColumnsIgnoresExtraOnesHeaderCaseAndBom() throws Exception {
        Manifest manifest = Manifest.readCsv(csv("\uFEFFSite,Path,Label,Patient_ID,study_uid,split,notes\n"
                + "x,img/a.dcm,normal,P1,1.2.3,train,anything\n"
                + "y,img/b.dcm,normal,,,,\n"), ManifestOptions.defaults());
        ManifestEntry first = manifest.entries().get(0);
        assertEquals("P1", first.patientId());
        assertEquals("1.2.3", first.studyUid());
        assertEquals("train", first.split());
        ManifestEntry second = manifest.entries().get(1);
        assertNull(second.patientId());
        assertNull(second.studyUid());
        assertNull(second.split());
    }

    @Test
    void readsQuotedFields() throws Exception {
        Manifest manifest = Manifest.readCsv(csv("path,label,patient_id\n\"img/d, e.dcm\",\"pleural \"\"effusion\"\"\",\"P,7\"\n"),
                ManifestOptions.defaults());
        ManifestEntry entry = manifest.entries().get(0);
        assertEquals(dir.resolve("img/d, e.dcm").toAbsolutePath(), entry.path());
        assertEquals(List.of("pleural \"effusion\""), entry.labelNames());
        assertEquals("P,7", entry.patientId());
    }

    @Test
    void readsSeveralLabelsFromOneColumn() throws Exception {
        Manifest manifest = Manifest.readCsv(csv("path,label\nimg/a.dcm,nodule|effusion\nimg/b.dcm,\nimg/c.dcm, effusion | effusion \n"),
                ManifestOptions.defaults().withMultiLabel());
        assertTrue(manifest.multiLabel());
        assertEquals(List.of("effusion", "nodule"), manifest.classNames());
        assertEquals(List.of(0, 1), manifest.entries().get(0).labelIndices());
        assertEquals(List.of("effusion", "nodule"), manifest.entries().get(0).labelNames());
        assertEquals(List.of(), manifest.entries().get(1).labelIndices());
        assertEquals(List.of(0), manifest.entries().get(2).labelIndices());
    }

    @Test
    void readsOneZeroOneColumnPerFindingInColumnOrder() throws Exception {
        Manifest manifest = Manifest.readCsv(csv("path,Nodule,Effusion,age\nimg/a.dcm,1,0,50\nimg/b.dcm,0.0,1.0,60\nimg/c.dcm,0,false,70\n"),
                ManifestOptions.defaults().withLabelColumns(List.of("Nodule", "Effusion")));
        assertEquals(List.of("Nodule", "Effusion"), manifest.classNames());
        assertEquals(List.of(0), manifest.entries().get(0).labelIndices());
        assertEquals(List.of(1), manifest.entries().get(1).labelIndices());
        assertEquals(List.of(), manifest.entries().get(2).labelIndices());
    }

    @Test
    void missingFileIsAnErrorNamingItsLine() throws Exception {
        Path manifest = csv("path,label\nimg/a.dcm,normal\n\nimg/missing.dcm,normal\n");
        RoentgenException e = assertThrows(RoentgenException.class,
                () -> Manifest.readCsv(manifest, ManifestOptions.defaults()));
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
        assertTrue(e.getMessage().contains("missing.dcm"), e.getMessage());
    }

    @Test
    void missingFileIsSkippedIntoTheReportUnderSkip() throws Exception {
        BadFileReport report = new BadFileReport(BadFilePolicy.SKIP);
        Manifest manifest = Manifest.readCsv(csv("path,label\nimg/a.dcm,normal\nimg/missing.dcm,normal\n"),
                ManifestOptions.defaults().withBadFiles(report));
        assertEquals(1, manifest.size());
        assertEquals(1, report.count());
        assertTrue(report.files().get(0).reason().contains("line 3"));
        assertEquals(Map.of("file not found (manifest line 3)", 1), report.countsByReason());
    }

    @Test
    void malformedLinesNameTheirLine() throws Exception {
        assertLineError("path,label\nimg/a.dcm,normal\nimg/b.dcm\n", ManifestOptions.defaults(), "line 3");
        assertLineError("path,label\nimg/a.dcm,normal,extra\n", ManifestOptions.defaults(), "line 2");
        assertLineError("path,label\nimg/a.dcm,normal\n,normal\n", ManifestOptions.defaults(), "line 3");
        assertLineError("path,label\nimg/a.dcm,a|b\n", ManifestOptions.defaults(), "line 2");
        assertLineError("path,label\nimg/a.dcm,\n", ManifestOptions.defaults(), "line 2");
        assertLineError("path,label\nimg/a.dcm,normal\nimg/b.dcm,\"unterminated\n", ManifestOptions.defaults(), "line");
        assertLineError("path,Nodule\nimg/a.dcm,1\nimg/b.dcm,-1\n",
                ManifestOptions.defaults().withLabelColumns(List.of("Nodule")), "line 3");
        assertLineError("path,label\nimg/a.dcm,normal\nimg/b.dcm,cancer\n",
                ManifestOptions.defaults().withClassNames(List.of("normal", "pneumonia")), "line 3");
        assertLineError("file,label\nimg/a.dcm,normal\n", ManifestOptions.defaults(), "no column 'path'");
    }

    private void assertLineError(String text, ManifestOptions options, String expected) throws IOException {
        Path manifest = csv(text);
        RoentgenException e = assertThrows(RoentgenException.class, () -> Manifest.readCsv(manifest, options));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void explicitClassNamesFixTheOrder() throws Exception {
        Manifest manifest = Manifest.readCsv(csv("path,label\nimg/a.dcm,normal\n"),
                ManifestOptions.defaults().withClassNames(List.of("pneumonia", "normal")));
        assertEquals(List.of("pneumonia", "normal"), manifest.classNames());
        assertEquals(List.of(1), manifest.entries().get(0).labelIndices());
    }

    @Test
    void resolverFillsOnlyMissingPatientIds() throws Exception {
        Map<Path, String> headers = Map.of(dir.resolve("img/b.dcm").toAbsolutePath(), "FROM-HEADER");
        Manifest manifest = Manifest.readCsv(csv("path,label,patient_id\nimg/a.dcm,n,P1\nimg/b.dcm,n,\nimg/c.dcm,n,\n"),
                ManifestOptions.defaults().withPatientIdResolver(headers::get));
        assertEquals("P1", manifest.entries().get(0).patientId());
        assertEquals("FROM-HEADER", manifest.entries().get(1).patientId());
        assertNull(manifest.entries().get(2).patientId());
    }

    @Test
    void unreadablePatientIdIsAnErrorNamingTheLineOrASkippedFile() throws Exception {
        Path unreadable = dir.resolve("img/b.dcm").toAbsolutePath();
        PatientIdResolver resolver = file -> {
            if (file.equals(unreadable)) {
                throw new DicomException("truncated header at byte 132");
            }
            return "P";
        };
        Path manifest = csv("path,label\nimg/a.dcm,n\nimg/b.dcm,n\n");
        RoentgenException e = assertThrows(RoentgenException.class,
                () -> Manifest.readCsv(manifest, ManifestOptions.defaults().withPatientIdResolver(resolver)));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("truncated header"), e.getMessage());

        BadFileReport report = new BadFileReport(BadFilePolicy.SKIP);
        Manifest read = Manifest.readCsv(manifest, ManifestOptions.defaults().withPatientIdResolver(resolver).withBadFiles(report));
        assertEquals(1, read.size());
        assertEquals(unreadable, report.files().get(0).path());
    }

    @Test
    void badFilePolicyParsesTheCommandLineSpelling() throws Exception {
        assertEquals(BadFilePolicy.SKIP, BadFilePolicy.parse("skip"));
        assertEquals(BadFilePolicy.FAIL, BadFilePolicy.parse(" FAIL "));
        RoentgenException e = assertThrows(RoentgenException.class, () -> BadFilePolicy.parse("ignore"));
        assertTrue(e.isUsageError());
        BadFileReport failing = new BadFileReport(BadFilePolicy.FAIL);
        assertThrows(RoentgenException.class, () -> failing.skipOrFail(dir, "truncated", null));
        assertEquals(0, failing.count());
    }
}
