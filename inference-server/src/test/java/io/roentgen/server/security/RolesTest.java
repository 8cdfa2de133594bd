package io.roentgen.server.security;

import com.google.gson.JsonParser;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.Multipart;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every route class with no token (401), a token without the route's role (403) and one with it; health stays open. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolesTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.1137.21";
    static final String INFER = "infer-secret-1";
    static final String ADMIN = "admin-secret-2";
    static final String METRICS = "metrics-secret-3";

    /** A route, how to call it, the role it needs, and the status the right role gets. */
    record Route(String name, String method, String path, String contentType, byte[] body, String needs, int answer) {}

    @TempDir
    static Path dir;
    ServerFixture fixture;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void start() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        TestRepository.addVersion(repo, "chest", "1", 5);
        TestRepository.addVersion(repo, "other", "1", 6);
        Path tokens = Files.writeString(dir.resolve("tokens"), String.join("\n",
                "# id  sha256(token)  roles",
                "scanner " + sha256(INFER) + " infer",
                "operator " + sha256(ADMIN) + " admin",
                "prometheus " + sha256(METRICS) + " metrics", ""));
        fixture = ServerFixture.start(ServerFixture.config(repo).withSecurity(SecuritySettings.NONE.withTokens(TokenTable.read(tokens))),
                ModelFormats.standard());
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    List<Route> routes() {
        byte[] dicom = SyntheticDicom.instance(STUDY, 2);
        String boundary = "roles-boundary";
        byte[] stow = Multipart.body(boundary, List.of(dicom));
        String stowType = Multipart.contentType(boundary);
        String kserve = "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"x\"]}]}";
        return List.of(
                new Route("classify", "POST", "/v1/models/chest/classify", "application/dicom", dicom, INFER, 200),
                new Route("KServe infer", "POST", "/v2/models/chest/infer", "application/json",
                        kserve.getBytes(StandardCharsets.UTF_8), INFER, 400),
                new Route("STOW-RS", "POST", "/dicomweb/studies", stowType, stow, INFER, 200),
                new Route("results", "GET", "/v1/results?study=" + STUDY, null, null, INFER, 200),
                new Route("model metadata", "GET", "/v2/models/chest", null, null, INFER, 200),
                new Route("repository index", "POST", "/v2/repository/index", null, new byte[0], ADMIN, 200),
                new Route("repository load", "POST", "/v2/repository/models/other/load", null, new byte[0], ADMIN, 200),
                new Route("metrics", "GET", "/metrics", null, null, METRICS, 200));
    }

    @Test
    void eachRouteAnswers401WithoutAToken403WithTheWrongRoleAndServesTheRightOne() throws Exception {
        for (Route route : routes()) {
            HttpResponse<String> anonymous = call(route, null);
            assertEquals(401, anonymous.statusCode(), route.name() + ": " + anonymous.body());
            assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElse(""), route.name());
            assertTrue(JsonParser.parseString(anonymous.body()).getAsJsonObject().has("error"), anonymous.body());
            assertEquals(401, call(route, "not-a-token").statusCode(), route.name() + " with an unknown token");
            String wrong = route.needs().equals(METRICS) ? INFER : METRICS;
            HttpResponse<String> forbidden = call(route, wrong);
            assertEquals(403, forbidden.statusCode(), route.name() + ": " + forbidden.body());
            assertTrue(JsonParser.parseString(forbidden.body()).getAsJsonObject().get("error").getAsString().contains("lacks the role"),
                    forbidden.body());
            HttpResponse<String> allowed = call(route, route.needs());
            assertEquals(route.answer(), allowed.statusCode(), route.name() + ": " + allowed.body());
        }
    }

    @Test
    void healthIsOpenAndAnUnloadNeedsAdmin() throws Exception {
        for (String path : List.of("/v2/health/live", "/v2/health/ready")) {
            assertEquals(200, http.send(HttpRequest.newBuilder(fixture.uri(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), path);
        }
        Route unload = new Route("unload", "POST", "/v2/repository/models/other/unload", null, new byte[0], ADMIN, 200);
        assertEquals(403, call(unload, INFER).statusCode());
        assertNotEquals(403, call(unload, ADMIN).statusCode());
    }

    HttpResponse<String> call(Route route, String token) throws Exception {
        return http.send(request(fixture.uri(route.path()), route, token), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest request(URI uri, Route route, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (route.contentType() != null) {
            builder.header("Content-Type", route.contentType());
        }
        return builder.method(route.method(), route.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(route.body())).build();
    }

    static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
