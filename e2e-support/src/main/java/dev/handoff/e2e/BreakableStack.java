package dev.handoff.e2e;

import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ManagedProcess;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.platform.commons.support.AnnotationSupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The second shared stack, for the classes that break a stack on purpose: they SIGKILL services, kill Kafka, stop
 * PostgreSQL, halt services at crash points, kill and restart nodes' vm-agents. One stack for all of them, started
 * once (the ordinary {@link SharedStack} stops then: {@link SharedStack.ByConfiguration} runs these classes last),
 * each class with users, projects and nodes of its own, as on the ordinary stack.
 *
 * <p>What a test breaks it mends before it ends (starts the services it killed again, brings Kafka and PostgreSQL
 * back, restarts a service it ran with other variables through {@link SharedStack.Running#reconfigure} or
 * {@link SharedStack.Configure}). After each test this extension checks that it did: PostgreSQL answers a query,
 * Kafka answers for its cluster, every service runs and answers ready, and no crash point is left armed. A test that
 * leaves the stack unhealthy fails saying what it left broken, and the stack is mended (dead processes started
 * again, a leftover crash point disarmed) so the next class starts on a healthy stack, which is checked again before
 * it starts. After each class every service runs with its usual variables again.
 */
public final class BreakableStack implements BeforeAllCallback, AfterEachCallback, AfterAllCallback,
    TestInstancePreConstructCallback {

    /** How long services get to answer ready again after Kafka or PostgreSQL came back. */
    private static final Duration RECOVERY = Duration.ofSeconds(90);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** The breakable stack (for the classes that extend with this). */
    public static SharedStack.Running get() {
        return SharedStack.BREAKABLE.current().orElseThrow(() ->
            new IllegalStateException("annotate the test class with @ExtendWith(BreakableStack.class)"));
    }

    /** Whether {@code type} (or a class it is nested in) runs on the breakable stack. */
    static boolean isOn(Class<?> type) {
        for (Class<?> at = type; at != null; at = at.getEnclosingClass()) {
            boolean extended = AnnotationSupport.findRepeatableAnnotations(at, ExtendWith.class).stream()
                .anyMatch(extendWith -> Arrays.asList(extendWith.value()).contains(BreakableStack.class));
            if (extended) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        SharedStack.BREAKABLE.ensureStarted(context);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        SharedStack.Running running = SharedStack.BREAKABLE.ensureStarted(context);
        List<String> problems = awaitHealthy(running.stack());
        if (!problems.isEmpty()) {
            mend(running.stack(), problems);
        }
        Class<?> testClass = context.getRequiredTestClass();
        if (SharedStack.declaresTests(testClass) || !SharedStack.configurationOf(testClass).isEmpty()) {
            running.configure(SharedStack.configurationOf(testClass));
        }
    }

    /** Fails the test that left the stack unhealthy, naming what it left broken, after mending it. */
    @Override
    public void afterEach(ExtensionContext context) {
        HandoffStack stack = get().stack();
        List<String> problems = awaitHealthy(stack);
        if (!problems.isEmpty()) {
            mend(stack, problems);
            throw new AssertionError("the test left the breakable stack unhealthy (mended for the next test): "
                + String.join("; ", problems));
        }
    }

    /** Back to the usual variables (a nested class: to those of the class it is nested in). */
    @Override
    public void afterAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Map<String, Map<String, String>> wanted = testClass.isAnnotationPresent(Nested.class)
            ? SharedStack.configurationOf(testClass.getEnclosingClass()) : Map.of();
        SharedStack.BREAKABLE.current().ifPresent(running -> running.configure(wanted));
    }

    /**
     * What is wrong with the stack once it had {@link #RECOVERY} to come back; empty when it is healthy. Returns as
     * soon as it is.
     */
    static List<String> awaitHealthy(HandoffStack stack) {
        List<List<String>> last = new ArrayList<>(List.of(problems(stack)));
        if (last.get(0).isEmpty()) {
            return last.get(0);
        }
        try {
            await("the breakable stack healthy").atMost(RECOVERY).pollInterval(Duration.ofMillis(500)).until(() -> {
                last.set(0, problems(stack));
                return last.get(0).isEmpty() || !stillRecovering(stack);
            });
        } catch (ConditionTimeoutException e) {
            // still unhealthy: the caller says what is wrong
        }
        return last.get(0);
    }

    /** A stack whose processes all run may only be catching up (a consumer reconnecting); a dead one will not. */
    private static boolean stillRecovering(HandoffStack stack) {
        return stack.postgres().isAlive() && stack.kafka().isAlive()
            && HandoffStack.SERVICES.keySet().stream().allMatch(service -> stack.service(service).isAlive());
    }

    /** What is wrong with the stack now; empty when it is healthy. */
    static List<String> problems(HandoffStack stack) {
        List<String> problems = new ArrayList<>();
        if (!stack.postgres().isAlive()) {
            problems.add("PostgreSQL is not running");
        } else {
            try (Connection connection = stack.postgres().connect("postgres");
                 ResultSet one = connection.createStatement().executeQuery("select 1")) {
                one.next();
            } catch (Exception e) {
                problems.add("PostgreSQL does not answer: " + e.getMessage());
            }
        }
        if (!stack.kafka().isAlive()) {
            problems.add("Kafka is not running");
        } else {
            try (Admin admin = stack.kafka().admin()) {
                if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                    problems.add("Kafka names no broker");
                }
            } catch (Exception e) {
                problems.add("Kafka does not answer: " + e.getMessage());
            }
        }
        for (String service : HandoffStack.SERVICES.keySet()) {
            ManagedProcess process = stack.service(service);
            if (!process.isAlive()) {
                problems.add(service + " is not running (exit code " + process.exitValue() + ")");
            } else {
                String ready = ready(stack.serviceUrl(service) + "/q/health/ready");
                if (ready != null) {
                    problems.add(service + " is not ready: " + ready);
                }
            }
            String armed = stack.armedCrashPoints(service);
            if (!armed.isEmpty()) {
                problems.add(service + " still has crash points armed: " + armed);
            }
        }
        return problems;
    }

    /** Starts what is dead again and disarms leftover crash points; throws if the stack is still unhealthy. */
    static void mend(HandoffStack stack, List<String> problems) {
        System.err.println("mending the breakable stack: " + String.join("; ", problems));
        if (!stack.postgres().isAlive()) {
            stack.postgres().restart();
        }
        if (!stack.kafka().isAlive()) {
            stack.kafka().restart();
        }
        for (String service : HandoffStack.SERVICES.keySet()) {
            stack.disarmCrashPoints(service);
            ManagedProcess process = stack.service(service);
            if (!process.isAlive() || ready(stack.serviceUrl(service) + "/q/health/ready") != null) {
                // Dead, or still not ready after the recovery time: start it anew, with the variables it runs with.
                process.stopProcessOnly(Duration.ofSeconds(20));
                process.restart();
            }
        }
        List<String> left = awaitHealthy(stack);
        if (!left.isEmpty()) {
            throw new IllegalStateException("the breakable stack could not be mended: " + String.join("; ", left));
        }
    }

    /** Null when {@code url} answers 200, else what it answered. */
    private static String ready(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? null : "HTTP " + response.statusCode() + " " + response.body();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
