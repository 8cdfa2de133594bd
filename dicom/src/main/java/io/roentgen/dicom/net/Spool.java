package io.roentgen.dicom.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.Uids;

/**
 * The durable spool. A C-STORE data set streams into {@code incoming/<random>.part} behind the
 * Part 10 header; at its end the file is forced to disk, parsed, checked against the command, and
 * renamed to {@code studies/<calling AE>/<Study Instance UID>/<SOP Instance UID>.dcm} with the
 * directory forced too. Only then is 0000 sent, so an acknowledged instance survives a crash.
 * A {@code .part} file is never acknowledged: the next start deletes it.
 */
public final class Spool {
    private static final DicomReader READER = DicomReader.defaults();

    private final Path root;
    private final Path incoming;
    private final Path studies;
    private final long minFreeBytes;
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
    /** Held while an instance lands in its study folder and while retention deletes one, so neither sees half the other. */
    private final Object landing = new Object();

    public Spool(Path root, long minFreeBytes) throws IOException {
        this.root = root;
        this.incoming = root.resolve("incoming");
        this.studies = root.resolve("studies");
        this.minFreeBytes = minFreeBytes;
        Files.createDirectories(incoming);
        Files.createDirectories(studies);
        deleteUnacknowledged();
        try (java.util.stream.Stream<Path> walk = Files.walk(studies)) {
            bytes.set(walk.filter(p -> p.toString().endsWith(".dcm")).mapToLong(p -> p.toFile().length()).sum());
        }
    }

    /** Bytes of acknowledged instances in the spool (counted at start, then added to, less what retention deleted). */
    public long sizeBytes() {
        return bytes.get();
    }

    public Path root() {
        return root;
    }

    /** Where acknowledged instances live: {@code <calling AE>/<study>/<instance>.dcm}. */
    public Path studies() {
        return studies;
    }

    private void deleteUnacknowledged() throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(incoming, "*.part")) {
            for (Path p : parts) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** True when the spool's file system has less free space than the watermark. */
    public boolean pastWatermark() {
        try {
            return Files.getFileStore(incoming).getUsableSpace() < minFreeBytes;
        } catch (IOException e) {
            return true;
        }
    }

    /** Opens the file a data set streams into. */
    public Entry begin(String callingAe, String sopClass, String sopInstance, TransferSyntax ts) throws IOException {
        Path part = incoming.resolve(UUID.randomUUID() + ".part");
        FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Entry entry = new Entry(part, channel, callingAe, sopClass, sopInstance, ts);
        try {
            byte[] header = DicomWriter.builder().transferSyntax(ts).sourceApplicationEntityTitle(callingAe).build()
                    .part10Header(sopClass, sopInstance);
            entry.write(header, 0, header.length);
        } catch (IOException | RuntimeException e) {
            entry.discard();
            throw e;
        }
        return entry;
    }

    /** The outcome of a store: its status and, on success, the instance. */
    public record Outcome(int status, StoredInstance instance, String reason) {}

    /** One data set being received. */
    public final class Entry {
        private final Path part;
        private final FileChannel channel;
        private final String callingAe;
        private final String sopClass;
        private final String sopInstance;
        private final TransferSyntax ts;
        private long written;

        private Entry(Path part, FileChannel channel, String callingAe, String sopClass, String sopInstance,
                TransferSyntax ts) {
            this.part = part;
            this.channel = channel;
            this.callingAe = callingAe;
            this.sopClass = sopClass;
            this.sopInstance = sopInstance;
            this.ts = ts;
        }

        public long written() {
            return written;
        }

        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                written += channel.write(buf);
            }
        }

        /** Deletes what was written. */
        public void discard() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file goes anyway
            }
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a leftover .part is deleted at the next start
            }
        }

        /**
         * Forces the data to disk, checks it, and moves it into the study's directory. The status
         * is 0000 only when the instance is durable in its final place.
         */
        public Outcome commit() {
            try {
                channel.force(true);
                channel.close();
            } catch (IOException e) {
                discard();
                return new Outcome(Status.OUT_OF_RESOURCES, null, "cannot write the spool: " + e.getMessage());
            }
            DicomObject ds;
            try {
                ds = READER.read(part);
            } catch (DicomException | IOException | RuntimeException e) {
                discard();
                return new Outcome(Status.CANNOT_UNDERSTAND, null, "the data set does not parse");
            }
            String mismatch = mismatch(ds);
            if (mismatch != null) {
                discard();
                return new Outcome(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, null, mismatch);
            }
            String study = ds.getString(Tag.StudyInstanceUID);
            try {
                Path dir = studies.resolve(directoryName(callingAe)).resolve(study);
                createDurably(dir);
                Path target = dir.resolve(sopInstance + ".dcm");
                synchronized (landing) {
                    createDurably(dir); // again: retention may have removed an empty study folder meanwhile
                    // A resent instance is new content: it is scored again.
                    Files.deleteIfExists(dir.resolve(sopInstance + ".dcm" + StudyAssembler.DONE));
                    move(part, target);
                }
                fsyncDirectory(dir);
                bytes.addAndGet(Files.size(target));
                return new Outcome(Status.SUCCESS,
                        new StoredInstance(callingAe, study, sopClass, sopInstance, ts.uid(), target), null);
            } catch (IOException e) {
                discard();
                return new Outcome(Status.OUT_OF_RESOURCES, null, "cannot move into the spool: " + e.getMessage());
            }
        }

        /** Why the data set does not match its command and SOP class, or null. */
        private String mismatch(DicomObject ds) {
            if (!sopClass.equals(ds.getString(Tag.SOPClassUID))) {
                return "SOP Class UID differs from the command's";
            }
            if (!sopInstance.equals(ds.getString(Tag.SOPInstanceUID)) || !Uids.isValid(sopInstance)) {
                return "SOP Instance UID differs from the command's or is not a UID";
            }
            if (!Uids.isValid(ds.getString(Tag.StudyInstanceUID))) {
                return "no valid Study Instance UID";
            }
            return null;
        }
    }

    /**
     * Retention: deletes each scored instance (one with a done marker) whose marker is older than
     * {@code scoredBefore}, the instance first and its marker after, so a crash between leaves a
     * marker alone and never an instance that looks unscored. Unscored instances are never touched;
     * study and AE folders left empty go too. Returns how many instances it deleted.
     */
    public int pruneScored(java.time.Instant scoredBefore) throws IOException {
        int pruned = 0;
        for (Path aeDir : children(studies)) {
            for (Path studyDir : children(aeDir)) {
                for (Path file : children(studyDir)) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".dcm" + StudyAssembler.DONE)) {
                        pruned += pruneIfOld(file, studyDir.resolve(name.substring(0, name.length() - StudyAssembler.DONE.length())),
                                scoredBefore);
                    }
                }
                removeIfEmpty(studyDir);
            }
            removeIfEmpty(aeDir);
        }
        return pruned;
    }

    private int pruneIfOld(Path marker, Path instance, java.time.Instant scoredBefore) throws IOException {
        synchronized (landing) {
            java.nio.file.attribute.FileTime scored;
            try {
                scored = Files.getLastModifiedTime(marker);
            } catch (java.nio.file.NoSuchFileException e) {
                return 0; // a resend removed it: that instance is unscored again
            }
            if (!scored.toInstant().isBefore(scoredBefore)) {
                return 0;
            }
            long size = Files.exists(instance) ? Files.size(instance) : 0;
            boolean deleted = Files.deleteIfExists(instance);
            Files.deleteIfExists(marker);
            bytes.addAndGet(-size);
            return deleted ? 1 : 0;
        }
    }

    private void removeIfEmpty(Path dir) {
        synchronized (landing) {
            try {
                Files.delete(dir); // fails unless empty
            } catch (IOException notEmpty) {
                // still holds instances
            }
        }
    }

    private static java.util.List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void createDurably(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        fsyncDirectory(dir.getParent());
        fsyncDirectory(dir.getParent().getParent());
    }

    /** Forces a directory's entries to disk (a rename is durable only then); a no-op where not supported. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot open a directory; the file itself was forced
        }
    }

    /**
     * A directory name for an AE title: letters and digits as they are, anything else (AE titles
     * may hold '/', '.', spaces) as _XX, so no title can leave the spool or collide with another.
     */
    public static String directoryName(String aeTitle) {
        StringBuilder sb = new StringBuilder();
        for (char c : aeTitle.toCharArray()) {
            if (c < 128 && Character.isLetterOrDigit(c) || c == '-') {
                sb.append(c);
            } else {
                sb.append('_').append(String.format("%02X", (int) c & 0xFF));
            }
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    /** The AE title a {@link #directoryName} came from. */
    public static String aeTitleOf(String directoryName) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < directoryName.length(); i++) {
            char c = directoryName.charAt(i);
            if (c == '_' && i + 2 < directoryName.length()) {
                sb.append((char) Integer.parseInt(directoryName.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
