package io.roentgen.models.explain;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.models.ModelCard;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * An explanation as a DICOM Secondary Capture for the PACS: the RGB overlay, enlarged to at least
 * 512 px so that the burned-in "NOT FOR DIAGNOSTIC USE" banner is legible, in a new series of the
 * source's study, Image Type {@code DERIVED\SECONDARY}, with the source instance in the Source
 * Image Sequence and the method, class, layer and model in the Derivation Description. The
 * picture is the model's input geometry (after its pad, resize and crop), not the source's pixel
 * grid.
 */
public final class SecondaryCapture {
    public static final String SOP_CLASS = "1.2.840.10008.5.1.4.1.1.7";
    public static final String BANNER = "NOT FOR DIAGNOSTIC USE";
    private static final int SOURCE_IMAGE_SEQUENCE = 0x00082112;
    private static final int MIN_SIZE = 512;
    private static final int[] PATIENT_AND_STUDY = {Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex,
        Tag.StudyInstanceUID, Tag.StudyDate, Tag.StudyTime, Tag.ReferringPhysicianName, Tag.StudyID, Tag.AccessionNumber};

    private SecondaryCapture() {}

    /** The SC data set for {@code explanation} of {@code image}, prepared from {@code source}. */
    public static DicomObject of(DicomObject source, FloatImage image, Explanation explanation, ModelCard card) {
        DicomObject sc = new DicomObject();
        sc.putString(Tag.SpecificCharacterSet, "ISO_IR 192");
        sc.putString(Tag.ImageType, "DERIVED", "SECONDARY");
        sc.putString(Tag.SOPClassUID, SOP_CLASS);
        sc.putString(Tag.SOPInstanceUID, Uids.generate());
        LocalDateTime now = LocalDateTime.now();
        sc.putString(Tag.ContentDate, now.format(DateTimeFormatter.BASIC_ISO_DATE));
        sc.putString(Tag.ContentTime, now.format(DateTimeFormatter.ofPattern("HHmmss")));
        for (int tag : PATIENT_AND_STUDY) {
            sc.putString(tag, source.getString(tag, ""));
        }
        sc.putString(Tag.Modality, "OT");
        sc.putString(Tag.ConversionType, "WSD");
        sc.putString(Tag.Manufacturer, "ROENTGEN");
        sc.putString(Tag.SeriesInstanceUID, Uids.generate());
        sc.putString(Tag.SeriesNumber, "9901");
        sc.putString(Tag.Laterality, source.getString(Tag.Laterality, "")); // type 2C: dciodvfy cannot judge the condition
        sc.putString(Tag.SeriesDescription, "Explanation " + explanation.method().id() + " (" + BANNER + ")");
        sc.putString(Tag.InstanceNumber, "1");
        sc.putString(Tag.PatientOrientation);
        sc.putString(Tag.DerivationDescription, derivation(explanation, card));
        DicomObject reference = new DicomObject();
        reference.putString(Tag.ReferencedSOPClassUID, source.getString(Tag.SOPClassUID, ""));
        reference.putString(Tag.ReferencedSOPInstanceUID, source.getString(Tag.SOPInstanceUID, ""));
        sc.putSequence(SOURCE_IMAGE_SEQUENCE, List.of(reference));
        sc.putString(Tag.BurnedInAnnotation, "YES");
        putPixels(sc, picture(image, explanation));
        return sc;
    }

    private static String derivation(Explanation e, ModelCard card) {
        String text = String.format(Locale.ROOT, "%s of class %s at layer %s, model %s %s; %s", e.method().id(), e.label(),
                e.layer(), card.name(), card.version(), BANNER);
        return text.length() <= 1024 ? text : text.substring(0, 1024); // ST holds 1024 characters
    }

    /** The overlay, enlarged with bilinear interpolation, with the banner burned in at the top. */
    static BufferedImage picture(FloatImage image, Explanation explanation) {
        BufferedImage overlay = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        overlay.setRGB(0, 0, image.width(), image.height(), Overlay.rgb(image, explanation.map()), 0, image.width());
        int scale = Math.max(1, (MIN_SIZE + Math.max(image.width(), image.height()) - 1)
                / Math.max(image.width(), image.height()));
        int width = image.width() * scale;
        int height = image.height() * scale;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(overlay, 0, 0, width, height, null);
            int fontSize = Math.max(12, width / 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, width, fontSize + fontSize / 2);
            g.setColor(Color.WHITE);
            g.drawString(BANNER, fontSize / 2, fontSize + fontSize / 8);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void putPixels(DicomObject sc, BufferedImage picture) {
        int width = picture.getWidth();
        int height = picture.getHeight();
        byte[] rgb = new byte[width * height * 3];
        int i = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = picture.getRGB(x, y);
                rgb[i++] = (byte) (p >> 16);
                rgb[i++] = (byte) (p >> 8);
                rgb[i++] = (byte) p;
            }
        }
        sc.putInts(Tag.SamplesPerPixel, 3);
        sc.putString(Tag.PhotometricInterpretation, "RGB");
        sc.putInts(Tag.PlanarConfiguration, 0);
        sc.putInts(Tag.Rows, height);
        sc.putInts(Tag.Columns, width);
        sc.putInts(Tag.BitsAllocated, 8);
        sc.putInts(Tag.BitsStored, 8);
        sc.putInts(Tag.HighBit, 7);
        sc.putInts(Tag.PixelRepresentation, 0);
        sc.putPixelData(VR.OB, rgb);
    }
}
