import com.pixelmed.validate.DicomSRValidator;

/**
 * Runs PixelMed's SR validator over many files in one JVM (its stylesheets take most of a run to
 * compile): prints "=== FILE" then the validator's report for each. Launched as a source file by
 * SrValidation, with PixelMed's jar on the class path.
 */
public class PixelMedBatch {
    public static void main(String[] files) throws Exception {
        DicomSRValidator validator = new DicomSRValidator();
        for (String file : files) {
            System.out.println("=== " + file);
            System.out.println(validator.validate(file));
        }
    }
}
