package io.roentgen.dicom.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A DICOM node in its own JVM, for {@link CrashRecoveryTest} to kill -9: the SCP and study
 * assembler over a spool, scoring by appending each SOP Instance UID to {@code scored.log}
 * (forced, so the log survives the kill too). Args: spool directory, file to write the port to.
 */
public final class SpoolServerMain {
    private SpoolServerMain() {}

    public static void main(String[] args) throws Exception {
        Path spool = Path.of(args[0]);
        Path portFile = Path.of(args[1]);
        Path scored = spool.resolve("scored.log");
        Files.createDirectories(spool);
        StudyAssembler assembler = new StudyAssembler(500, (ae, study, instances) -> {
            StringBuilder lines = new StringBuilder();
            instances.forEach(i -> lines.append(i.sopInstanceUid()).append('\n'));
            append(scored, lines.toString());
        });
        DicomScp scp = DicomScp.start(ScpConfig.of("ROENTGEN", 0, spool).withMinFreeBytes(0), assembler);
        assembler.rescan(scp.spool());
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(scp.port()));
        Files.move(tmp, portFile);
        Thread.currentThread().join(); // until killed
    }

    private static synchronized void append(Path file, String text) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
    }
}
