package io.roentgen.dicom.net;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A running SCP on a free loopback port that records what it stored; closed after each test. */
final class ScpFixture implements AutoCloseable {
    static final String AE = "ROENTGEN";

    final DicomScp scp;
    final List<StoredInstance> stored = new CopyOnWriteArrayList<>();

    ScpFixture(ScpConfig config) throws IOException {
        this(config, i -> { });
    }

    /** Records each stored instance, then tells {@code next}. */
    ScpFixture(ScpConfig config, InstanceListener next) throws IOException {
        this.scp = DicomScp.start(config, i -> {
            stored.add(i);
            next.stored(i);
        });
    }

    static ScpConfig config(Path spool) {
        return ScpConfig.of(AE, 0, spool).withMinFreeBytes(0).withTimers(3_000, 5_000);
    }

    int port() {
        return scp.port();
    }

    @Override
    public void close() {
        scp.close();
    }
}
