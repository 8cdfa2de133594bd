package io.roentgen.server.security;

import ai.djl.Device;
import com.google.gson.JsonParser;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without a token file, the admin routes answer loopback clients only: the server listens on
 * every address, and the same request gets 200 over 127.0.0.1 and 403 over this machine's
 * network address, while inference stays open on both.
 */
class LoopbackAdminTest {
    @TempDir
    Path dir;

    @Test
    void adminRoutesAnswerLoopbackOnlyWithoutATokenFile() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        TestRepository.addVersion(repo, "chest", "1", 7);
        InetAddress network = networkAddress();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try (ServerFixture fixture = ServerFixture.start(ServerFixture.config(repo)
                .withHostAndDevices("0.0.0.0", List.of(Device.cpu())), ModelFormats.standard())) {
            URI loopback = fixture.uri("/v2/repository/index");
            URI remote = URI.create("http://" + network.getHostAddress() + ":" + fixture.server.port() + "/v2/repository/index");
            assertEquals(200, post(http, loopback, "application/json", new byte[0]).statusCode());
            HttpResponse<String> refused = post(http, remote, "application/json", new byte[0]);
            assertEquals(403, refused.statusCode(), refused.body());
            String error = JsonParser.parseString(refused.body()).getAsJsonObject().get("error").getAsString();
            assertTrue(error.contains("loopback") && error.contains("--auth-token-file"), error);
            URI classify = URI.create("http://" + network.getHostAddress() + ":" + fixture.server.port() + "/v1/models/chest/classify");
            assertEquals(200, post(http, classify, "application/dicom", SyntheticDicom.instance("1.2.3.9", 1)).statusCode(),
                    "inference stays open without tokens");
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String type, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An IPv4 address of an interface that is up and not loopback: connecting to it, the server sees a network peer. */
    private static InetAddress networkAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        return address;
                    }
                }
            }
        }
        throw new AssertionError("this test needs a network interface besides loopback (any up IPv4 address)");
    }
}
