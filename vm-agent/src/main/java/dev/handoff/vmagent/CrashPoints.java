package dev.handoff.vmagent;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Test-only crash points of the vm-agent, the plain-Java twin of service-kit's {@code CrashPoints}: armed only by
 * the environment variable {@value #ENV} (comma-separated points) or the system property {@value #PROPERTY},
 * never by the agents file or any other configuration. Reaching an armed point prints one line and halts the JVM
 * with exit code {@value #EXIT_CODE}, as a SIGKILL there would. Unarmed, {@link #reached} tests one constant.
 *
 * <p>Points: {@code prompt-written} (the first prompt of a StartAgent is on the agent's stdin; AgentStarted is not
 * reported and the delivery is still recorded {@code accepted}).
 */
public final class CrashPoints {

    public static final String ENV = "HANDOFF_CRASH_AT";
    public static final String PROPERTY = "handoff.crash-at";
    public static final int EXIT_CODE = 86;

    private static final Set<String> ARMED = parse(System.getenv(ENV), System.getProperty(PROPERTY));
    private static final boolean ANY_ARMED = !ARMED.isEmpty();

    private CrashPoints() {
    }

    /** Halts the JVM if {@code point} is armed. */
    public static void reached(String point) {
        if (ANY_ARMED && ARMED.contains(point)) {
            System.err.println("handoff crash point reached: " + point + "; halting (" + ENV + ", tests only)");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    /** The armed points; empty unless {@value #ENV} or {@value #PROPERTY} is set. */
    public static Set<String> armed() {
        return ARMED;
    }

    static Set<String> parse(String... values) {
        return Arrays.stream(values).filter(value -> value != null)
            .flatMap(value -> Arrays.stream(value.split(","))).map(String::strip).filter(point -> !point.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    }
}
