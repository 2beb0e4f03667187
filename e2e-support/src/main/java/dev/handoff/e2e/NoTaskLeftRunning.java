package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.events.TaskCancelRequested;
import dev.handoff.localstack.HandoffStack;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/**
 * After every end-to-end test (registered for all of them through junit-platform.properties), no task of the
 * test's Handoff stack may still be in flight: each one has come to rest (turn ended, failed or cancelled), asked
 * of the orchestrator's {@code GET /api/saga/tasks?active=true}. A task still queued, provisioning, running,
 * stalled or cancelling a short grace after the test is the "silently running" task Handoff must never leave
 * behind. Runs right after the test method, before its {@code @AfterEach} stops anything.
 *
 * <p>Whatever a test leaves in flight (a passing test that left it fails here; a failed test often leaves its task
 * waiting) is then cancelled the way chat-service cancels (TaskCancelRequested on the task's key), so the stacks
 * the tests share come clean to the next test instead of failing it for a task it never saw.
 */
public final class NoTaskLeftRunning implements AfterTestExecutionCallback {

    /** How long tasks get to come to rest after the test's last step (a cancel still being confirmed, say). */
    static final Duration GRACE = Duration.ofSeconds(45);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A task in flight as the orchestrator lists it. */
    record InFlight(String taskId, String status, String since) {
        @Override
        public String toString() {
            return taskId + " " + status + " since " + since;
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) throws Exception {
        boolean failed = context.getExecutionException().isPresent();
        for (HandoffStack stack : stacksOf(context)) {
            List<InFlight> left = failed ? activeTasks(stack) : atRestWithin(stack, GRACE);
            if (left.isEmpty()) {
                continue;
            }
            List<InFlight> stillLeft = cancel(stack, left);
            if (!failed) {
                throw new AssertionError("tasks still in flight " + GRACE.toSeconds() + " s after the test: " + left
                    + (stillLeft.isEmpty() ? " (cancelled them for the next test)"
                    : "; still in flight after cancelling: " + stillLeft));
            }
        }
    }

    /** Cancels {@code tasks} as chat-service would and returns those still in flight a grace later. */
    private static List<InFlight> cancel(HandoffStack stack, List<InFlight> tasks) throws Exception {
        KafkaTopics.publish(stack.kafka().bootstrapServers(), tasks.stream()
            .map(task -> Envelope.first(new TaskCancelRequested("left in flight by an end-to-end test"), task.taskId()))
            .toArray(Envelope[]::new));
        return atRestWithin(stack, GRACE);
    }

    /** Waits up to {@code grace} for no task to be in flight; returns those still in flight then. */
    private static List<InFlight> atRestWithin(HandoffStack stack, Duration grace) {
        List<InFlight> inFlight = new ArrayList<>();
        try {
            await("every task of the test at rest").atMost(grace).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    List<InFlight> now = activeTasks(stack);
                    inFlight.clear();
                    inFlight.addAll(now);
                    return now.isEmpty();
                });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return List.copyOf(inFlight);
        }
        return List.of();
    }

    private static List<InFlight> activeTasks(HandoffStack stack) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.serviceUrl("orchestrator-service")
            + "/api/saga/tasks?active=true")).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + stack.internalToken()).GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("active tasks: HTTP " + response.statusCode() + " " + response.body());
        }
        List<InFlight> tasks = new ArrayList<>();
        for (JsonNode task : JSON.readTree(response.body())) {
            tasks.add(new InFlight(task.path("taskId").asText(), task.path("status").asText(),
                task.path("statusSince").asText()));
        }
        return tasks;
    }

    /** The stacks the test works with: fields of its instance (nested classes too) and the shared stack running. */
    private static Set<HandoffStack> stacksOf(ExtensionContext context) throws IllegalAccessException {
        Set<HandoffStack> stacks = new LinkedHashSet<>();
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Class<?> type = instance.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (HandoffStack.class.isAssignableFrom(field.getType())) {
                        field.setAccessible(true);
                        Object stack = field.get(instance);
                        if (stack != null) {
                            stacks.add((HandoffStack) stack);
                        }
                    }
                }
            }
        }
        SharedStack.current().forEach(running -> stacks.add(running.stack()));
        return stacks;
    }
}
