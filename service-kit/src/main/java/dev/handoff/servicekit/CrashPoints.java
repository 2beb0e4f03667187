package dev.handoff.servicekit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Test-only crash points: named places in the pipeline where a process halts itself, as a SIGKILL there would, so
 * crash tests can reach points no timing from outside can (after a commit, before its event is published; after
 * publishing, before the outbox row is marked).
 *
 * <p>Armed only through the process environment, never by configuration: no {@code application.properties},
 * profile or system property can arm one, so production config cannot turn it on by accident. Two ways:
 * <ul>
 *   <li>{@value #ENV}: a comma-separated list of points armed for the whole run of the process;</li>
 *   <li>{@value #FILE_ENV}: the path of a file a test writes points into (same syntax) while the process runs,
 *       read each time a point is reached; reaching a point it lists deletes the file before halting, so the
 *       restarted process runs unarmed. Lets a test arm a running service instead of restarting it armed.</li>
 * </ul>
 * With neither set (the default), {@link #reached} tests one constant and returns.
 *
 * <p>Points, named by what just happened ({@code <Type>} is an event type, e.g. {@code NodeRequested}):
 * <ul>
 *   <li>{@code committed:<Type>}: the transaction that staged the event committed; it is not published yet
 *       ({@code outbox/EventTransactions}).</li>
 *   <li>{@code published:<Type>}: the outbox relay published the event; its row is not marked published yet
 *       ({@code outbox/Outbox}).</li>
 *   <li>{@code applied:<Type>}: a consumed event's effect and inbox record committed; its Kafka offset is not
 *       committed yet ({@code outbox/EventTransactions.applyOnce}).</li>
 *   <li>{@code report-taken:<report type>}: vm-agent-gateway: a node's numbered report committed as an event; the
 *       node has no Ack yet ({@code NodeSocket}).</li>
 * </ul>
 * Reaching an armed point prints one line to stderr and halts the JVM with exit code {@value #EXIT_CODE}
 * (no shutdown hooks, nothing flushed, like a crash).
 */
public final class CrashPoints {

    /** The environment variable that arms crash points: {@code point[,point...]}. Set only by tests. */
    public static final String ENV = "HANDOFF_CRASH_AT";

    /** The environment variable naming the file of points armed while the process runs. */
    public static final String FILE_ENV = "HANDOFF_CRASH_POINTS_FILE";

    /** The exit code of a process halted at a crash point. */
    public static final int EXIT_CODE = 86;

    private static final Set<String> ARMED = parse(System.getenv(ENV));
    private static final Path FILE = fileOf(System.getenv(FILE_ENV));
    private static final boolean ANY_ARMED = !ARMED.isEmpty() || FILE != null;

    private CrashPoints() {
    }

    /** Halts the JVM if {@code point} is armed. */
    public static void reached(String point) {
        if (!ANY_ARMED) {
            return;
        }
        if (ARMED.contains(point)) {
            halt(point);
        }
        if (FILE != null && armedInFile().contains(point)) {
            try {
                Files.deleteIfExists(FILE);
            } catch (IOException e) {
                System.err.println("handoff crash point: cannot disarm " + FILE + ": " + e.getMessage());
            }
            halt(point);
        }
    }

    private static Set<String> armedInFile() {
        try {
            return Files.isRegularFile(FILE) ? parse(Files.readString(FILE)) : Set.of();
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** Halts the JVM if {@code what:type} is armed (the name is only built when some point is armed). */
    public static void reached(String what, String type) {
        if (ANY_ARMED) {
            reached(what + ":" + type);
        }
    }

    /** The points armed for the whole run; empty unless {@value #ENV} is set. */
    public static Set<String> armed() {
        return ARMED;
    }

    /** The file points may be armed in while the process runs ({@value #FILE_ENV}), if set. */
    public static Optional<Path> armingFile() {
        return Optional.ofNullable(FILE);
    }

    private static Path fileOf(String value) {
        return value == null || value.isBlank() ? null : Path.of(value.strip());
    }

    static Set<String> parse(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split("[,\\n]")).map(String::strip).filter(point -> !point.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    }

    private static void halt(String point) {
        System.err.println("handoff crash point reached: " + point + "; halting (" + ENV + ", tests only)");
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_CODE);
    }
}
