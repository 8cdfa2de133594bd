package io.roentgen.dicom.net;

import java.util.List;

/**
 * Told of each study once it has been quiet: the instances received for it and not yet scored.
 * Returning normally marks them scored; throwing leaves them for the next start to retry.
 */
@FunctionalInterface
public interface StudyListener {
    void studyComplete(String callingAe, String studyInstanceUid, List<StoredInstance> instances) throws Exception;
}
