package io.roentgen.dicom.net;

import java.io.IOException;

import io.roentgen.dicom.DicomObject;

/** Delivers a result object to one destination; returns only once the destination stored it. */
public interface ResultSender {
    /** A name for logs and for the outbox's folder. */
    String name();

    /** @throws IOException when the object was not stored (the outbox retries it later) */
    void send(DicomObject object) throws IOException;

    /** {@code dicom://AET@host:port} (C-STORE) or {@code http(s)://host/dicomweb-root} (STOW-RS). */
    static ResultSender parse(String uri, String callingAe, int timeoutMillis) {
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            return new StowRsSender(java.net.URI.create(uri), timeoutMillis);
        }
        Destination d = Destination.parse(uri);
        return new ResultSender() {
            @Override
            public String name() {
                return d.toString();
            }

            @Override
            public void send(DicomObject object) throws IOException {
                int status = StoreScu.send(d, callingAe, object, timeoutMillis);
                if (!StoreScu.stored(status)) {
                    throw new IOException(d + " answered status " + Integer.toHexString(status));
                }
            }
        };
    }
}
