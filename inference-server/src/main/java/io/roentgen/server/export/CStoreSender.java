package io.roentgen.server.export;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.net.AssociationRejectedException;
import io.roentgen.dicom.net.DicomTls;
import io.roentgen.dicom.net.Pdu;
import io.roentgen.dicom.net.StoreScu;

import java.io.IOException;
import java.time.Duration;

/**
 * The outbox's sender for {@code dicom://AET@host:port} destinations: the DIMSE C-STORE SCU
 * ({@link StoreScu}, one association per object, negotiating the object's SR class). The protocol
 * lives in {@code dicom.net}; queueing and retries stay in the {@link Outbox}. {@code dicoms://}
 * destinations are reached over DICOM TLS with the sender's client context.
 *
 * <p>Network errors, aborts, transient association rejects and "out of resources" (A7xx) are
 * worth a retry; a permanent reject, a refused SOP class, or any other failure status refuses the
 * object for good.
 */
public final class CStoreSender implements ResultSender {
    private final String callingAe;
    private final int timeoutMillis;
    private final DicomTls tls;

    /** @param callingAe our AE title on the association (the DICOM node's, so the PACS knows us) */
    public CStoreSender(String callingAe, Duration timeout) {
        this(callingAe, timeout, null);
    }

    /** @param tls how {@code dicoms://} destinations are reached (trusted CAs, our client certificate); null refuses them */
    public CStoreSender(String callingAe, Duration timeout, DicomTls tls) {
        this.callingAe = callingAe;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
        this.tls = tls;
    }

    @Override
    public boolean handles(ResultDestination destination) {
        return destination instanceof ResultDestination.Dicom;
    }

    @Override
    public void send(byte[] part10, String sopInstanceUid, ResultDestination destination) throws SendException {
        ResultDestination.Dicom to = (ResultDestination.Dicom) destination;
        DicomObject object;
        try {
            object = DicomReader.defaults().read(part10);
        } catch (DicomException e) {
            throw new SendException("the outbox object " + sopInstanceUid + " does not parse: " + e.getMessage(), false, e);
        }
        int status;
        try {
            if (to.tls() && tls == null) {
                throw new SendException(to.uri() + ": a dicoms:// destination needs DICOM TLS settings", false);
            }
            status = StoreScu.send(to.aeTitle(), to.host(), to.port(), callingAe, object, timeoutMillis,
                    to.tls() ? tls : null);
        } catch (AssociationRejectedException e) {
            throw new SendException(to.uri() + ": " + e.getMessage(), e.reject().result() != Pdu.AssociateRj.PERMANENT, e);
        } catch (StoreScu.SopClassRefused e) {
            throw new SendException(e.getMessage(), false, e);
        } catch (IOException e) {
            throw new SendException(to.uri() + ": " + e.getMessage(), true, e);
        }
        if (!StoreScu.stored(status)) {
            boolean outOfResources = (status & 0xFF00) == 0xA700;
            throw new SendException(to.uri() + " answered C-STORE status " + String.format("%04X", status), outOfResources);
        }
    }
}
