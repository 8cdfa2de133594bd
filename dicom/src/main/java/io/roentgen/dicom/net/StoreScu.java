package io.roentgen.dicom.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;

/** Sends one data set over C-STORE on its own association (explicit, then implicit VR little endian). */
public final class StoreScu {
    private StoreScu() {}

    /**
     * Stores {@code dataSet} (native, no encapsulated pixel data) at the SCP {@code calledAe} on {@code host:port}.
     *
     * @return the C-STORE response status (0000 success; B000-BFFF warnings are successes too)
     * @throws IOException when the association cannot be made, is rejected or aborted, or the SOP class is refused
     */
    public static int send(String calledAe, String host, int port, String callingAe, DicomObject dataSet, int timeoutMillis)
            throws IOException {
        return send(calledAe, host, port, callingAe, dataSet, timeoutMillis, null);
    }

    /** As above, over DICOM TLS when {@code tls} is not null. */
    public static int send(String calledAe, String host, int port, String callingAe, DicomObject dataSet, int timeoutMillis,
            DicomTls tls) throws IOException {
        String sopClass = dataSet.getString(Tag.SOPClassUID);
        String sopInstance = dataSet.getString(Tag.SOPInstanceUID);
        try (DicomScu scu = DicomScu.connect(host, port, callingAe, calledAe, List.of(DicomScu.context(1,
                sopClass, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid())),
                timeoutMillis, 256 * 1024, tls)) {
            String ts = scu.transferSyntax(1);
            if (ts == null) {
                scu.abort();
                throw new SopClassRefused(calledAe + "@" + host + ":" + port + " does not accept SOP class " + sopClass);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DicomWriter.of(TransferSyntax.of(ts)).writeDataSet(dataSet, bytes);
            int status = scu.store(1, sopClass, sopInstance, bytes.toByteArray()).getInt(CommandSet.STATUS, -1);
            scu.release();
            return status;
        }
    }

    /** The SCP rejected the object's presentation context: sending it again will not help. */
    public static final class SopClassRefused extends IOException {
        SopClassRefused(String message) {
            super(message);
        }
    }

    /** Success and warnings store the object (PS3.4 B.2.3); failures do not. */
    public static boolean stored(int status) {
        return status == Status.SUCCESS || (status & 0xF000) == 0xB000;
    }
}
