package io.roentgen.dicom.net;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;

/**
 * A durable outbox of results for DIMSE and STOW-RS destinations: each object is written (and forced) to
 * {@code <dir>/<destination>/<SOP Instance UID>.dcm} before any send, and deleted only once the
 * destination stored it. Sending is tried at once and then every retry interval, so a PACS that is
 * down for an hour gets every result when it is back, across restarts too.
 */
public final class Outbox implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    private final Path dir;
    private final List<ResultSender> destinations;
    private final ScheduledExecutorService sender;

    public Outbox(Path dir, List<ResultSender> destinations, long retryMillis) throws IOException {
        this.dir = dir;
        this.destinations = List.copyOf(destinations);
        for (ResultSender d : destinations) {
            Files.createDirectories(folder(d));
        }
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dicom-outbox");
            t.setDaemon(true);
            return t;
        });
        sender.scheduleWithFixedDelay(this::sendAll, 0, retryMillis, TimeUnit.MILLISECONDS);
    }

    /** Queues an object for every destination (durably), then sends it on the outbox's thread. */
    public void submit(DicomObject object) throws IOException {
        String sop = object.getString(Tag.SOPInstanceUID);
        for (ResultSender d : destinations) {
            Path target = folder(d).resolve(sop + ".dcm");
            Path tmp = folder(d).resolve(sop + ".tmp");
            DicomWriter.explicitLittleEndian().write(object, tmp);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Spool.fsyncDirectory(folder(d));
        }
        sender.execute(this::sendAll);
    }

    /** Objects still waiting for a destination. */
    public int pending() throws IOException {
        int n = 0;
        for (ResultSender d : destinations) {
            n += files(d).size();
        }
        return n;
    }

    private void sendAll() {
        for (ResultSender d : destinations) {
            try {
                for (Path file : files(d)) {
                    if (!sendOne(d, file)) {
                        break; // the destination is down or refusing: try again at the next interval
                    }
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot read the outbox for " + d.name() + ": " + e.getMessage());
            }
        }
    }

    private boolean sendOne(ResultSender d, Path file) {
        try {
            d.send(DicomReader.defaults().read(file));
            Files.deleteIfExists(file);
            return true;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.INFO, "cannot send a result to " + d.name() + " now (" + e.getMessage() + "); will retry");
            return false;
        }
    }

    private List<Path> files(ResultSender d) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder(d), "*.dcm")) {
            s.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    private Path folder(ResultSender d) {
        return dir.resolve(Spool.directoryName(d.name()));
    }

    @Override
    public void close() {
        sender.shutdownNow();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
