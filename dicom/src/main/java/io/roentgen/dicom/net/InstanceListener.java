package io.roentgen.dicom.net;

/** Told of each instance once it is on disk and acknowledged; called on the association's thread. */
@FunctionalInterface
public interface InstanceListener {
    void stored(StoredInstance instance);
}
