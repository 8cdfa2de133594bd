package io.roentgen.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reading one HTTP/1.1 answer off a raw socket: the head, then exactly Content-Length bytes. */
public final class RawHttp {
    private RawHttp() {}

    /** The answer's head and body as text; what arrived so far when the connection ends early. */
    public static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        while (!answer.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return answer.toString(StandardCharsets.ISO_8859_1);
            }
            answer.write(b);
        }
        String head = answer.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int at = head.indexOf("content-length:");
        if (at >= 0) {
            answer.write(in.readNBytes(Integer.parseInt(head.substring(at + 15, head.indexOf("\r\n", at)).trim())));
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }
}
