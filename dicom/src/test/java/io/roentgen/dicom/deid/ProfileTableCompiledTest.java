package io.roentgen.dicom.deid;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The compact profile table the build writes (ProfileTableCompiler, process-classes) against
 * the standard's JSON: the same rows, in the same order, with the same actions, as the table
 * parsed from the JSON (which ProfileTableTest checks row by row against de-identified output).
 */
class ProfileTableCompiledTest {
    @Test
    void theBuildWroteTheCompactTableAndRunsLoadIt() throws Exception {
        try (InputStream in = ProfileTable.class.getResourceAsStream(ProfileTable.COMPACT_RESOURCE)) {
            assertNotNull(in, "the build (exec-maven-plugin, process-classes) writes " + ProfileTable.COMPACT_RESOURCE);
            ProfileTable compact = ProfileTable.readCompact(new DataInputStream(in));
            ProfileTable json = ProfileTable.loadJson();
            assertEquals(621 - 1, json.rules().size());
            assertEquals(json.rules(), compact.rules());
            assertEquals(json.privateAttributes(), compact.privateAttributes());
            assertEquals(json.rules(), ProfileTable.standard().rules(), "the table runs use");
        }
    }

    @Test
    void theCompactFormRoundTripsEveryRow() throws Exception {
        ProfileTable json = ProfileTable.loadJson();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            json.writeCompact(out);
        }
        ProfileTable back = ProfileTable.readCompact(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(json.rules(), back.rules());
        assertEquals(json.privateAttributes(), back.privateAttributes());
        for (ProfileRule r : json.rules()) {
            assertEquals(json.rule(r.tag()), back.rule(r.tag()), r.name());
        }
    }
}
