package io.roentgen.dicom.net;

import java.nio.file.Path;

/** One instance acknowledged with status 0000: it is in {@code file}, fsynced. */
public record StoredInstance(String callingAe, String studyInstanceUid, String sopClassUid, String sopInstanceUid,
        String transferSyntaxUid, Path file) {}
