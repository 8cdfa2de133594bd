package io.roentgen.dicom.deid;

import io.roentgen.dicom.testing.OrthancProcess;

import io.roentgen.dicom.DicomElement;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.testing.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against real peers on the same synthetic study (identifiers in nested sequences, private tags,
 * dates): every attribute Orthanc's {@code /instances/{id}/anonymize} or GDCM's
 * {@code gdcmanon -e} removes or replaces, we remove or replace too, unless the standard's table
 * says otherwise ({@link #DOCUMENTED_EXCEPTIONS}, empty today). What we remove or replace that a
 * peer leaves is printed, as the issue asks (e.g. Orthanc leaves a Patient's Name inside a
 * Referenced Image Sequence item and the Instance Creation Date; gdcmanon leaves Patient's Address,
 * dates and every private tag).
 *
 * <p>Attributes are compared by path ({@code (0008,1140)[0](0010,0010)}); a value that a
 * peer or we replaced, emptied or removed counts as changed. File meta (group 0002) is rebuilt
 * by every writer and is left out.
 */
class PeerComparisonTest {
    static final ProjectKey KEY = new ProjectKey("peer-comparison-key-0123456789".getBytes(StandardCharsets.US_ASCII));

    /** Paths a peer changes that PS3.15 Table E.1-1 tells us to keep, with the reason. */
    static final Map<String, String> DOCUMENTED_EXCEPTIONS = Map.of();

    @TempDir
    Path work;

    @Test
    void weChangeEverythingOrthancAndGdcmanonChange() throws Exception {
        List<Path> inputs = new SyntheticStudies("1.2.826.0.1.3680043.10.543.41").writeCt(work.resolve("in"), 2, 16);
        Path cert = certificate();
        Map<String, Set<String>> weCatchAlone = new LinkedHashMap<>();
        StringBuilder missed = new StringBuilder();
        try (OrthancProcess orthanc = OrthancProcess.start(work)) {
            for (Path in : inputs) {
                Map<String, String> original = flatten(DicomReader.defaults().read(in));
                DicomObject ours = DicomReader.defaults().read(in);
                assertTrue(!new Deidentifier(DeidConfig.basic(KEY)).deidentify(ours).isRefused());
                Set<String> changedByUs = changed(original, flatten(DicomReader.defaults().read(DicomWriter.explicitLittleEndian().toByteArray(ours))));

                Map<String, Set<String>> peers = new TreeMap<>();
                peers.put("orthanc", changed(original, flatten(DicomReader.defaults().read(anonymize(orthanc, in)))));
                Path gdcmOut = work.resolve("gdcm-" + in.getFileName());
                ExternalTool.run(null, "gdcmanon", "--certificate", cert.toString(), "-e", in.toString(), gdcmOut.toString());
                peers.put("gdcmanon", changed(original, flatten(DicomReader.defaults().read(gdcmOut))));

                for (Map.Entry<String, Set<String>> peer : peers.entrySet()) {
                    assertTrue(peer.getValue().size() > 10, peer.getKey() + " changed something: " + peer.getValue());
                    for (String path : peer.getValue()) {
                        if (!changedByUs.contains(path) && !DOCUMENTED_EXCEPTIONS.containsKey(path)) {
                            missed.append(peer.getKey()).append(" changes ").append(path).append(" = ").append(original.get(path))
                                    .append(", we keep it\n");
                        }
                    }
                    Set<String> alone = new TreeSet<>(changedByUs);
                    alone.removeAll(peer.getValue());
                    weCatchAlone.computeIfAbsent(peer.getKey(), k -> new TreeSet<>()).addAll(alone);
                }
            }
        }
        weCatchAlone.forEach((peer, paths) -> System.out.println("We remove or replace, " + peer + " keeps: " + paths));
        assertEquals("", missed.toString());
    }

    /** A self-signed certificate for gdcmanon -e (it encrypts the original values into the Encrypted Attributes Sequence). */
    private Path certificate() throws Exception {
        Path key = work.resolve("key.pem");
        Path cert = work.resolve("cert.pem");
        ExternalTool.run(null, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "1", "-nodes", "-subj", "/CN=roentgen-deid-test");
        return cert;
    }

    /** Paths of the original whose value the result lacks or holds differently. */
    static Set<String> changed(Map<String, String> original, Map<String, String> result) {
        Set<String> changed = new TreeSet<>();
        original.forEach((path, value) -> {
            String now = result.get(path);
            if (!value.equals(now) && !(value.isEmpty() && now == null)) {
                changed.add(path);
            }
        });
        return changed;
    }

    /** Every leaf value by path; a sequence also as its item count. */
    static Map<String, String> flatten(DicomObject ds) {
        Map<String, String> out = new TreeMap<>();
        flatten(ds, "", out);
        return out;
    }

    private static void flatten(DicomObject ds, String prefix, Map<String, String> out) {
        for (DicomElement e : ds) {
            if (Tag.group(e.tag()) == 0x0002) {
                continue;
            }
            String path = prefix + Tag.toString(e.tag());
            if (e.isSequence()) {
                out.put(path, "#" + e.items().size());
                for (int i = 0; i < e.items().size(); i++) {
                    flatten(e.items().get(i), path + "[" + i + "]", out);
                }
            } else if (e.vr() == VR.OB || e.vr() == VR.OW || e.vr() == VR.UN) {
                out.put(path, Integer.toHexString(Arrays.hashCode(ds.getBytes(e.tag()))));
            } else {
                out.put(path, String.join("\\", e.getStrings()).strip());
            }
        }
    }

    /** Stores the file, asks Orthanc to anonymize it (its default: the Basic Profile of its PS3.15 edition), returns the result. */
    private static byte[] anonymize(OrthancProcess orthanc, Path dicom) throws Exception {
        String id = orthanc.post("/instances", "application/dicom", Files.readAllBytes(dicom)).get("ID").getAsString();
        return orthanc.postForBytes("/instances/" + id + "/anonymize", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    }
}
