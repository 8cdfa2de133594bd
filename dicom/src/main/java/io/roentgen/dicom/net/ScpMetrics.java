package io.roentgen.dicom.net;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The SCP's counters: associations open and rejected by reason, instances and bytes received, aborts. */
public final class ScpMetrics {
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
    private final AtomicLong instances = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong aborts = new AtomicLong();
    private final AtomicLong dimseTimeouts = new AtomicLong();
    private final AtomicLong unsupportedCommands = new AtomicLong();

    public int associationsOpen() {
        return open.get();
    }

    /** Rejections by "source/reason" name, e.g. "calling-ae-not-recognized". */
    public Map<String, Long> rejected() {
        Map<String, Long> copy = new TreeMap<>();
        rejected.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public long instancesReceived() {
        return instances.get();
    }

    public long bytesReceived() {
        return bytes.get();
    }

    /** Associations we aborted (protocol errors, timers). */
    public long aborts() {
        return aborts.get();
    }

    /** Associations aborted because the DIMSE timer expired (a peer that went quiet mid-association). */
    public long dimseTimeouts() {
        return dimseTimeouts.get();
    }

    /** DIMSE commands answered 0211 (Unrecognized Operation) or dropped (C-CANCEL, stray responses). */
    public long unsupportedCommands() {
        return unsupportedCommands.get();
    }

    AtomicInteger openCounter() {
        return open;
    }

    void rejected(Pdu.AssociateRj rj) {
        rejected.computeIfAbsent(reasonName(rj), k -> new AtomicLong()).incrementAndGet();
    }

    void received(long size) {
        instances.incrementAndGet();
        bytes.addAndGet(size);
    }

    void aborted() {
        aborts.incrementAndGet();
    }

    void dimseTimedOut() {
        dimseTimeouts.incrementAndGet();
    }

    void unsupportedCommand() {
        unsupportedCommands.incrementAndGet();
    }

    static String reasonName(Pdu.AssociateRj rj) {
        return switch (rj.source() * 16 + rj.reason()) {
            case 0x12 -> "application-context-not-supported";
            case 0x13 -> "calling-ae-not-recognized";
            case 0x17 -> "called-ae-not-recognized";
            case 0x22 -> "protocol-version-not-supported";
            case 0x32 -> "local-limit-exceeded";
            default -> "source-" + rj.source() + "-reason-" + rj.reason();
        };
    }
}
