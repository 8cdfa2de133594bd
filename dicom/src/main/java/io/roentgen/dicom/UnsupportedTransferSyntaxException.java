package io.roentgen.dicom;

/**
 * The pixel data are in a transfer syntax that Roentgen has no decoder for. The message names
 * the UID and its PS3.6 name, e.g. "no decoder for transfer syntax 1.2.840.10008.1.2.4.100
 * (MPEG2 Main Profile / Main Level)".
 */
public class UnsupportedTransferSyntaxException extends DicomException {
    private final TransferSyntax transferSyntax;

    public UnsupportedTransferSyntaxException(TransferSyntax transferSyntax) {
        this(transferSyntax, "no decoder for transfer syntax " + transferSyntax);
    }

    public UnsupportedTransferSyntaxException(TransferSyntax transferSyntax, String message) {
        super(message);
        this.transferSyntax = transferSyntax;
    }

    /** Convenience for a UID as read from a file. */
    public UnsupportedTransferSyntaxException(String transferSyntaxUid) {
        this(TransferSyntax.of(transferSyntaxUid));
    }

    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    public String uid() {
        return transferSyntax.uid();
    }
}
