package org.dtls4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Recording;
import org.dtls4j.DtlsConfigurationException;

/**
 * {@code dtls4j server --jfr FILE}: a JDK Flight Recorder recording of the dtls4j events
 * ({@code org.dtls4j.*}: handshakes, alerts, rejected cookies, dropped datagrams, migrations),
 * written to the file when the server stops. A recording made with no settings records the
 * application's own events, each as its annotations say, and none of the JDK's: exactly the
 * dtls4j events, whatever events the api adds later. Not thread-safe: the server command's.
 */
final class ServerRecording {

    private final Recording recording;
    private final Path file;

    private ServerRecording(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /**
     * Starts recording for {@code file}, which is written at {@link #finish()}, or by the JVM
     * if it exits first (the JDK's own shutdown hook dumps it).
     *
     * @throws DtlsConfigurationException if the file's directory does not exist or cannot be written
     * @throws IOException if the recording cannot be set to write the file
     */
    static ServerRecording start(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new DtlsConfigurationException("--jfr " + file + ": the directory " + dir
                    + " does not exist or cannot be written; give a file in a writable directory");
        }
        Recording r = new Recording();
        r.setName("dtls4j server");
        r.setDestination(absolute);
        r.setDumpOnExit(true);
        r.start();
        return new ServerRecording(r, absolute);
    }

    /** The file the recording goes to. */
    Path file() {
        return file;
    }

    /**
     * Stops the recording and writes its file; once the JVM's shutdown has stopped the
     * recording and written it, does nothing more.
     */
    void finish() {
        try {
            recording.stop(); // writes the destination
        } catch (IllegalStateException alreadyStopped) {
            // the JDK's shutdown hook got there first and wrote the file
        } finally {
            recording.close();
        }
    }
}
