package io.roentgen.server.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Our STOW-RS client (PS3.18 10.5): one instance per request, {@code POST <base>/studies} as
 * {@code multipart/related; type="application/dicom"}, the Store Instances Response read to see
 * that the archive took this SOP instance. 200, and 202 without this instance among the failed,
 * are success; 408, 429, 5xx and network errors are worth a retry; any other answer refuses the
 * object for good.
 */
public final class StowRsClient implements ResultSender {
    private static final String FAILED_SOP_SEQUENCE = "00081198";
    private static final String REFERENCED_SOP_INSTANCE = "00081155";
    private static final String FAILURE_REASON = "00081197";

    private final HttpClient http;
    private final Duration timeout;
    private final String bearerToken;

    /**
     * @param timeout     connect and whole-request limit
     * @param bearerToken sent as {@code Authorization: Bearer}, or null
     */
    public StowRsClient(Duration timeout, String bearerToken) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.bearerToken = bearerToken;
    }

    @Override
    public boolean handles(ResultDestination destination) {
        return destination instanceof ResultDestination.StowRs;
    }

    @Override
    public void send(byte[] part10, String sopInstanceUid, ResultDestination destination)
            throws SendException, InterruptedException {
        ResultDestination.StowRs stow = (ResultDestination.StowRs) destination;
        String boundary = "roentgen-" + UUID.randomUUID();
        HttpRequest.Builder request = HttpRequest.newBuilder(stow.studies()).timeout(timeout)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(part10, boundary)));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SendException("STOW-RS to " + stow.studies() + " failed: " + e, true, e);
        }
        check(response.statusCode(), response.body(), sopInstanceUid);
    }

    /** Maps the answer to success or a {@link SendException} (package-private for tests). */
    static void check(int status, String body, String sopInstanceUid) throws SendException {
        if (status == 200 || status == 202) {
            Integer reason = failureReason(body, sopInstanceUid);
            if (reason != null) {
                throw new SendException("the archive refused the instance, failure reason " + String.format("%04X", reason), false);
            }
            return;
        }
        boolean retryable = status == 408 || status == 429 || status >= 500;
        Integer reason = status == 409 ? failureReason(body, sopInstanceUid) : null;
        throw new SendException("STOW-RS answered " + status + (reason == null ? "" : String.format(", failure reason %04X", reason))
                + ": " + abbreviate(body), retryable);
    }

    /** The Failure Reason the response gives this instance, or null when it does not list it as failed. */
    private static Integer failureReason(String body, String sopInstanceUid) {
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(body == null || body.isBlank() ? "{}" : body);
            json = parsed.isJsonObject() ? parsed.getAsJsonObject() : new JsonObject();
        } catch (JsonParseException e) {
            return null; // not DICOM JSON (an XML answer): the status alone speaks
        }
        JsonObject failed = json.getAsJsonObject(FAILED_SOP_SEQUENCE);
        if (failed == null || !failed.has("Value")) {
            return null;
        }
        for (JsonElement item : failed.getAsJsonArray("Value")) {
            JsonObject o = item.getAsJsonObject();
            if (sopInstanceUid.equals(firstString(o, REFERENCED_SOP_INSTANCE))) {
                String reason = firstString(o, FAILURE_REASON);
                return reason == null ? 0x0110 : Integer.parseInt(reason);
            }
        }
        return null;
    }

    private static String firstString(JsonObject item, String tag) {
        JsonObject attribute = item.getAsJsonObject(tag);
        if (attribute == null || !attribute.has("Value")) {
            return null;
        }
        JsonArray values = attribute.getAsJsonArray("Value");
        return values.isEmpty() ? null : values.get(0).getAsString();
    }

    static byte[] multipart(byte[] part10, String boundary) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(part10.length + 256);
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        body.writeBytes(head);
        body.writeBytes(part10);
        body.writeBytes(tail);
        return body.toByteArray();
    }

    private static String abbreviate(String body) {
        String s = body == null ? "" : body.strip();
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
