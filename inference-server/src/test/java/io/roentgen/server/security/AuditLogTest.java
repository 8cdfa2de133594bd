package io.roentgen.server.security;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit log over real requests: one flushed JSONL line each with who, from where, which route
 * and model, the study as a keyed hash, and the status; and not one byte of the patient's name,
 * ID or the DICOM UIDs in the file.
 */
class AuditLogTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.1137.22";
    static final String TOKEN = "audit-scanner-secret";

    @TempDir
    Path dir;

    @Test
    void recordsWhoWhatAndOutcomeWithoutPatientIdentifiers() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        TestRepository.addVersion(repo, "chest", "1", 8);
        Path tokens = Files.writeString(dir.resolve("tokens"), "scanner-7 " + RolesTest.sha256(TOKEN) + " infer\n"
                + "grafana " + RolesTest.sha256("metrics-only") + " metrics\n");
        byte[] key = "a project audit key of 32 bytes!".getBytes(StandardCharsets.US_ASCII);
        Path keyFile = Files.write(dir.resolve("audit.key"), key);
        Path log = dir.resolve("audit.jsonl");
        SecuritySettings security = SecuritySettings.NONE.withTokens(TokenTable.read(tokens)).withAudit(log, keyFile);
        byte[] dicom = SyntheticDicom.instance(STUDY, 3);
        HttpClient http = HttpClient.newBuilder().build();
        try (ServerFixture fixture = ServerFixture.start(ServerFixture.config(repo).withSecurity(security), ModelFormats.standard())) {
            HttpRequest.Builder classify = HttpRequest.newBuilder(fixture.uri("/v1/models/chest/classify"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/dicom")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(dicom));
            assertEquals(401, http.send(classify.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(403, http.send(classify.copy().header("Authorization", "Bearer metrics-only").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, http.send(classify.header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            // Read while the server runs: each line is flushed as it is written.
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertEquals(4, lines.size(), String.join("\n", lines));
            JsonObject start = JsonParser.parseString(lines.get(0)).getAsJsonObject();
            assertEquals("start", start.get("event").getAsString());
            assertTrue(start.get("key").getAsString().contains("key file"), lines.get(0));

            JsonObject refused = JsonParser.parseString(lines.get(1)).getAsJsonObject();
            assertEquals("anonymous", refused.get("who").getAsString());
            assertEquals(401, refused.get("status").getAsInt());

            JsonObject forbidden = JsonParser.parseString(lines.get(2)).getAsJsonObject();
            assertEquals("grafana", forbidden.get("who").getAsString(), "a known token without the role is named");
            assertEquals(403, forbidden.get("status").getAsInt());

            JsonObject done = JsonParser.parseString(lines.get(3)).getAsJsonObject();
            Instant.parse(done.get("time").getAsString());
            assertEquals("scanner-7", done.get("who").getAsString());
            assertEquals("127.0.0.1", done.get("client").getAsString());
            assertEquals("POST", done.get("method").getAsString());
            assertEquals("/v1/models/{model}/classify", done.get("route").getAsString());
            assertEquals("chest", done.get("model").getAsString());
            assertEquals(hmac(key, STUDY), done.getAsJsonArray("studies").get(0).getAsString());
            assertEquals(200, done.get("status").getAsInt());
        }
        byte[] raw = Files.readAllBytes(log);
        for (String identifier : List.of("Synthetic^Test", "Synthetic", "SYNTHETIC", STUDY, SyntheticDicom.sopInstanceUid(STUDY, 3),
                TOKEN)) {
            assertFalse(contains(raw, identifier.getBytes(StandardCharsets.US_ASCII)), "the audit log holds " + identifier);
        }
        assertFalse(contains(raw, "patient".getBytes(StandardCharsets.US_ASCII)), "no patient fields at all");
    }

    @Test
    void withoutAKeyFileARandomKeyIsDrawnAndSaidSo() throws Exception {
        Path log = dir.resolve("random.jsonl");
        try (AuditLog audit = AuditLog.open(log, null)) {
            assertTrue(audit.hashStudy(STUDY).matches("[0-9a-f]{64}"));
        }
        try (AuditLog again = AuditLog.open(log, null)) {
            assertEquals(2, Files.readAllLines(log).size(), "appended, not truncated");
        }
        assertTrue(Files.readAllLines(log).get(0).contains("random per run"));
    }

    static String hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.US_ASCII)));
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
