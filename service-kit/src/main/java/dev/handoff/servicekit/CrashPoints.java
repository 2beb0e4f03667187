package dev.handoff.servicekit;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Test-only crash points: named places in the pipeline where a process halts itself, as a SIGKILL there would, so
 * crash tests can reach points no timing from outside can (after a commit, before its event is published; after
 * publishing, before the outbox row is marked).
 *
 * <p>Armed only by the process environment variable {@value #ENV} (a comma-separated list of points), never by
 * configuration: no {@code application.properties}, profile or system property can arm one, so production config
 * cannot turn it on by accident. Unset (the default), {@link #reached} tests one constant and returns.
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

    /** The exit code of a process halted at a crash point. */
    public static final int EXIT_CODE = 86;

    private static final Set<String> ARMED = parse(System.getenv(ENV));
    private static final boolean ANY_ARMED = !ARMED.isEmpty();

    private CrashPoints() {
    }

    /** Halts the JVM if {@code point} is armed. */
    public static void reached(String point) {
        if (ANY_ARMED && ARMED.contains(point)) {
            halt(point);
        }
    }

    /** Halts the JVM if {@code what:type} is armed (the name is only built when some point is armed). */
    public static void reached(String what, String type) {
        if (ANY_ARMED) {
            reached(what + ":" + type);
        }
    }

    /** The armed points; empty unless {@value #ENV} is set. */
    public static Set<String> armed() {
        return ARMED;
    }

    static Set<String> parse(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(point -> !point.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    }

    private static void halt(String point) {
        System.err.println("handoff crash point reached: " + point + "; halting (" + ENV + ", tests only)");
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_CODE);
    }
}
