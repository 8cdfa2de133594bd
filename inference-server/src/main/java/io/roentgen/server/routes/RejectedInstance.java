package io.roentgen.server.routes;

import io.roentgen.server.http.ApiException;

/**
 * Why one DICOM instance cannot be classified, both as the HTTP status of the classify endpoint
 * and as the STOW-RS Failure Reason (0008,1197) of PS3.18.
 */
final class RejectedInstance extends Exception {
    static final int CANNOT_UNDERSTAND = 0xC000;
    static final int TRANSFER_SYNTAX_NOT_SUPPORTED = 0xC122;
    static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int PROCESSING_FAILURE = 0x0110;
    /** Not in PS3.18's table; dcm4chee-arc's code for an instance of another study than the URL's. */
    static final int DIFFERENT_STUDY = 0xC409;

    private final int httpStatus;
    private final int failureReason;

    RejectedInstance(int httpStatus, int failureReason, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.failureReason = failureReason;
    }

    /** A batcher or deadline failure, with the reason a PACS understands as "try later". */
    static RejectedInstance of(ApiException e) {
        int reason = e.status() == 503 ? OUT_OF_RESOURCES : PROCESSING_FAILURE;
        return new RejectedInstance(e.status(), reason, e.getMessage());
    }

    int failureReason() {
        return failureReason;
    }

    ApiException toApiException() {
        return new ApiException(httpStatus, getMessage(), httpStatus == 503 ? 1 : 0, null);
    }
}
