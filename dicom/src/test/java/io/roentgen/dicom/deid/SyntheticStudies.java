package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic studies that carry identifiers where real ones hide: top level, items of kept
 * sequences two and three levels down, private tags (also inside a private sequence), dates,
 * descriptors, and references between instances (Referenced SOP Instance UID, Source Image
 * Sequence, Frame of Reference). The identifying values are distinctive strings, so a leak test
 * can look for their bytes.
 */
final class SyntheticStudies {
    static final String FAMILY = "QUILLANDER";
    static final String GIVEN = "ZEPHYRINA";
    static final String PATIENT_NAME = FAMILY + "^" + GIVEN;
    static final String PATIENT_ID = "MRN7731904";
    static final String OTHER_ID = "OTH5508812";
    static final String BIRTH_DATE = "19610417";
    static final String ADDRESS = "42 WOLVERCOTE LANE OXBRIDGE";
    static final String ACCESSION = "ACC99120577";
    static final String PHYSICIAN = "HARGREAVE^OSWIN";
    static final String OPERATOR = "PEMBERTHY^ILSA";
    static final String INSTITUTION = "SAINT ALDWYTH INFIRMARY";
    static final String STATION = "CTSTATION9";
    static final String STUDY_DATE = "20240311";

    /** Every value that must not survive de-identification (names also as their parts). */
    static List<String> identifiers() {
        return List.of(FAMILY, GIVEN, PATIENT_ID, OTHER_ID, BIRTH_DATE, ADDRESS, "WOLVERCOTE", ACCESSION, "HARGREAVE", "OSWIN",
                "PEMBERTHY", "ILSA", INSTITUTION, "ALDWYTH", STATION, STUDY_DATE);
    }

    /** The station's AE title goes into the File Meta Information too, where it identifies a device. */
    static final DicomWriter WRITER = DicomWriter.builder().sourceApplicationEntityTitle(STATION).build();

    final String studyUid;
    final String seriesUid;
    final String frameOfReferenceUid;
    final List<String> sopUids = new ArrayList<>();

    SyntheticStudies(String root) {
        this.studyUid = root + ".1";
        this.seriesUid = root + ".2";
        this.frameOfReferenceUid = root + ".3";
    }

    /** Writes {@code count} CT instances (16x16 native) under dir; each refers to the one before it. */
    List<Path> writeCt(Path dir, int count, int rows) throws IOException {
        return writeSeries(dir, count, rows, "CT", "1.2.840.10008.5.1.4.1.1.2");
    }

    /** As {@link #writeCt}, with another modality and SOP class on the same header. */
    List<Path> writeSeries(Path dir, int count, int rows, String modality, String sopClass) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        String root = studyUid.substring(0, studyUid.length() - 2);
        for (int i = 0; i < count; i++) {
            sopUids.add(root + ".4." + (i + 1));
        }
        for (int i = 0; i < count; i++) {
            DicomObject ds = instance(i, modality, sopClass, rows);
            Path f = dir.resolve(FAMILY + "_" + i + ".dcm"); // an identifying file name, as PACS exports make
            WRITER.write(ds, f);
            files.add(f);
        }
        return files;
    }

    /** One instance of another SOP class (its header as the CT's, not that IOD's own modules) under dir. */
    Path writeOne(Path dir, String modality, String sopClass) throws IOException {
        Files.createDirectories(dir);
        String root = studyUid.substring(0, studyUid.length() - 2);
        sopUids.add(root + ".6." + (sopUids.size() + 1));
        DicomObject ds = instance(sopUids.size() - 1, modality, sopClass, 16);
        Path f = dir.resolve(modality.toLowerCase(java.util.Locale.ROOT) + ".dcm");
        WRITER.write(ds, f);
        return f;
    }

    /** One ultrasound image (burned-in text likely): must be refused without a mask. */
    Path writeUltrasound(Path dir) throws IOException {
        Files.createDirectories(dir);
        String root = studyUid.substring(0, studyUid.length() - 2);
        sopUids.add(root + ".5.1");
        DicomObject ds = instance(sopUids.size() - 1, "US", "1.2.840.10008.5.1.4.1.1.6.1", 16);
        ds.putString(Tag.Manufacturer, VR.LO, "ACME");
        ds.putString(Tag.ManufacturerModelName, VR.LO, "SONO 5");
        Path f = dir.resolve("us.dcm");
        WRITER.write(ds, f);
        return f;
    }

    DicomObject instance(int i, String modality, String sopClass, int rows) {
        DicomObject ds = new DicomObject();
        ds.putString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.putString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.putString(Tag.InstanceCreationDate, VR.DA, STUDY_DATE);
        ds.putString(Tag.SOPClassUID, VR.UI, sopClass);
        ds.putString(Tag.SOPInstanceUID, VR.UI, sopUids.get(i));
        ds.putString(Tag.StudyDate, VR.DA, STUDY_DATE);
        ds.putString(Tag.SeriesDate, VR.DA, STUDY_DATE);
        ds.putString(Tag.ContentDate, VR.DA, STUDY_DATE);
        ds.putString(Tag.StudyTime, VR.TM, "101500");
        ds.putString(Tag.ContentTime, VR.TM, "101501");
        ds.putString(Tag.AccessionNumber, VR.SH, ACCESSION);
        ds.putString(Tag.Modality, VR.CS, modality);
        ds.putString(Tag.Manufacturer, VR.LO, "ROENTGEN TEST");
        ds.putString(Tag.InstitutionName, VR.LO, INSTITUTION);
        ds.putString(0x00080081, VR.ST, ADDRESS);                       // Institution Address
        ds.putString(Tag.ReferringPhysicianName, VR.PN, PHYSICIAN);
        ds.putString(0x00081010, VR.SH, STATION);                       // Station Name
        ds.putString(Tag.StudyDescription, VR.LO, "CT CHEST FOR " + FAMILY);
        ds.putString(Tag.SeriesDescription, VR.LO, "AXIAL");
        ds.putString(0x00081070, VR.PN, OPERATOR);                      // Operators' Name
        ds.putString(Tag.PatientName, VR.PN, PATIENT_NAME);
        ds.putString(Tag.PatientID, VR.LO, PATIENT_ID);
        ds.putString(Tag.PatientBirthDate, VR.DA, BIRTH_DATE);
        ds.putString(Tag.PatientSex, VR.CS, "F");
        ds.putString(Tag.PatientAge, VR.AS, "062Y");
        ds.putString(0x00101040, VR.LO, ADDRESS);                       // Patient's Address
        ds.putSequence(0x00101002, item(0x00100020, VR.LO, OTHER_ID));  // Other Patient IDs Sequence
        ds.putString(0x00104000, VR.LT, "PATIENT " + PATIENT_NAME + " BORN " + BIRTH_DATE); // Patient Comments
        ds.putString(Tag.BodyPartExamined, VR.CS, "CHEST");
        ds.putString(Tag.SliceThickness, VR.DS, "1.25");
        ds.putString(Tag.KVP, VR.DS, "120");
        ds.putString(0x00185100, VR.CS, "HFS");                         // Patient Position
        ds.putString(Tag.AcquisitionNumber, VR.IS, "1");
        ds.putString(Tag.StudyInstanceUID, VR.UI, studyUid);
        ds.putString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        ds.putString(Tag.StudyID, VR.SH, "S" + PATIENT_ID.substring(3));
        ds.putString(Tag.SeriesNumber, VR.IS, "1");
        ds.putString(Tag.InstanceNumber, VR.IS, Integer.toString(i + 1));
        ds.putString(Tag.ImagePositionPatient, VR.DS, "0", "0", Integer.toString(i));
        ds.putString(Tag.ImageOrientationPatient, VR.DS, "1", "0", "0", "0", "1", "0");
        ds.putString(Tag.FrameOfReferenceUID, VR.UI, frameOfReferenceUid);
        ds.putString(0x00201040, VR.LO, "");                            // Position Reference Indicator
        nestedIdentifiers(ds, i);
        privateTags(ds);
        pixels(ds, rows);
        return ds;
    }

    /**
     * Level 1: Referenced Image Sequence (kept, UIDs replaced) to the previous instance, whose item
     * also holds a Patient's Name and Accession Number; level 2: a Source Image Sequence inside it;
     * level 3: a Referenced Patient Sequence item inside that with name, ID, birth date, address.
     */
    private void nestedIdentifiers(DicomObject ds, int i) {
        DicomObject deepest = new DicomObject();
        deepest.putString(Tag.PatientName, VR.PN, PATIENT_NAME);
        deepest.putString(Tag.PatientID, VR.LO, PATIENT_ID);
        deepest.putString(Tag.PatientBirthDate, VR.DA, BIRTH_DATE);
        deepest.putString(0x00101040, VR.LO, ADDRESS);
        DicomObject level2 = reference(sopUids.get(Math.max(0, i - 1)));
        level2.putSequence(0x00081120, deepest);                        // Referenced Patient Sequence
        level2.putString(Tag.AccessionNumber, VR.SH, ACCESSION);
        DicomObject level1 = reference(sopUids.get(Math.max(0, i - 1)));
        level1.putString(Tag.PatientName, VR.PN, PATIENT_NAME);
        level1.putString(0x00081070, VR.PN, OPERATOR);
        level1.putSequence(0x00082112, level2);                         // Source Image Sequence
        ds.putSequence(Tag.ReferencedImageSequence, level1);
        DicomObject request = new DicomObject();                        // Request Attributes Sequence
        request.putString(Tag.AccessionNumber, VR.SH, ACCESSION);
        request.putString(0x00401001, VR.SH, "RP" + ACCESSION.substring(3)); // Requested Procedure ID
        request.putString(0x00321032, VR.PN, PHYSICIAN);               // Requesting Physician
        ds.putSequence(0x00400275, request);
    }

    private static DicomObject reference(String sop) {
        DicomObject ref = new DicomObject();
        ref.putString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
        ref.putString(Tag.ReferencedSOPInstanceUID, VR.UI, sop);
        return ref;
    }

    private static DicomObject item(int tag, VR vr, String value) {
        DicomObject item = new DicomObject();
        item.putString(tag, vr, value);
        return item;
    }

    /** A vendor block with names and IDs, a private sequence holding more, and one safe-listed value. */
    private static void privateTags(DicomObject ds) {
        ds.putString(0x00090010, VR.LO, "ACME IDENT 1");
        ds.putString(0x00091001, VR.LO, PATIENT_NAME);
        ds.putString(0x00091002, VR.LO, PATIENT_ID + " " + BIRTH_DATE);
        DicomObject hidden = new DicomObject();
        hidden.putString(0x00110010, VR.LO, "ACME NESTED");
        hidden.putString(0x00111001, VR.LO, ADDRESS + " " + ACCESSION);
        ds.putSequence(0x00091003, hidden);
        ds.putString(0x00430010, VR.LO, "GEMS_PARM_01");
        ds.putString(0x00431027, VR.SH, "1.375");                       // Scan Pitch Ratio: safe
        ds.putString(0x00431028, VR.LO, INSTITUTION);                   // not safe
    }

    private static void pixels(DicomObject ds, int rows) {
        ds.putInts(Tag.SamplesPerPixel, VR.US, 1);
        ds.putString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.putInts(Tag.Rows, VR.US, rows);
        ds.putInts(Tag.Columns, VR.US, rows);
        ds.putString(Tag.PixelSpacing, VR.DS, "0.7", "0.7");
        ds.putInts(Tag.BitsAllocated, VR.US, 16);
        ds.putInts(Tag.BitsStored, VR.US, 12);
        ds.putInts(Tag.HighBit, VR.US, 11);
        ds.putInts(Tag.PixelRepresentation, VR.US, 0);
        ds.putString(Tag.RescaleIntercept, VR.DS, "-1024");
        ds.putString(Tag.RescaleSlope, VR.DS, "1");
        byte[] px = new byte[rows * rows * 2];
        for (int k = 0; k < px.length; k += 2) {
            px[k] = (byte) (k * 7);
            px[k + 1] = (byte) ((k >> 8) & 0x0F);
        }
        ds.putPixelData(VR.OW, px);
    }
}
