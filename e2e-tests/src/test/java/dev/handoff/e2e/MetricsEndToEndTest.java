package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.localstack.HandoffStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator's Prometheus scrapes: every service answers {@code /q/metrics} in the Prometheus text format to
 * the scraper's token and to no one else, and a task submitted through the public API shows in them: the saga's
 * step durations and tasks by status (orchestrator), the request that submitted it (chat-service), the node that
 * ran it (gateway), the open live stream (chat-service), each service's outbox backlog and age, the agent's output
 * relayed (the reports the gateway took, the output the chat stored and its latency), and the task's id on the lines
 * the orchestrator logged about it.
 */
@ExtendWith(SharedStack.class)
class MetricsEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String[] SERVICES = {"chat-service", "orchestrator-service", "provisioner-service",
        "vm-agent-gateway"};

    private final HandoffStack stack = SharedStack.get().stack();
    private final HandoffApi api = SharedStack.get().api();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();

    @Test
    void aTaskShowsInEveryServicesMetricsWhichOnlyTheScraperMayRead() throws Exception {
        for (String service : SERVICES) {
            HttpResponse<String> anonymous = get(service, null);
            assertThat(anonymous.statusCode()).as(service + " /q/metrics without a token").isEqualTo(401);
            assertThat(anonymous.body()).contains("handoff.metrics.token");
            assertThat(get(service, "not-the-token").statusCode()).as(service + " with a wrong token").isEqualTo(401);
            assertThat(scrape(service).has("handoff_outbox_pending", Map.of()))
                .as(service + " reports its outbox backlog").isTrue();
        }
        PrometheusText before = scrape("orchestrator-service");
        Map<String, String> provisioned = Map.of("step", "provisioning_node", "next", "creating_workspace");
        Map<String, String> answered = Map.of("step", "running", "next", "turn_ended");
        Map<String, String> submitted = Map.of("method", "POST", "uri", "/api/projects/{id}/tasks", "status", "202");
        PrometheusText chatBefore = scrape("chat-service");
        double submittedBefore = chatBefore.sum("http_server_requests_seconds_count", submitted);
        double reportsBefore = scrape("vm-agent-gateway").sum("handoff_gateway_reports_total",
            Map.of("outcome", "taken"));

        String projectId = api.createProject("metrics", repositoryUrl);
        JsonNode accepted = api.submitTask(projectId, "Say hello " + UUID.randomUUID());
        String taskId = accepted.path("taskId").asText();
        String sessionId = accepted.path("sessionId").asText();
        double[] streamsWhileOpen = {0};
        api.stream(sessionId, null, null, events -> {
            streamsWhileOpen[0] = scrapeQuietly("chat-service").sum("handoff_chat_streams_open", Map.of());
            return !events.isEmpty();
        }, Duration.ofSeconds(30));
        await("task " + taskId + " turn ended").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
            .until(() -> api.task(taskId).path("status").asText().equals("turn_ended"));

        PrometheusText orchestrator = scrape("orchestrator-service");
        assertThat(orchestrator.sum("handoff_task_step_duration_seconds_count", provisioned))
            .as("tasks that got a node").isGreaterThan(before.sum("handoff_task_step_duration_seconds_count",
                provisioned));
        assertThat(orchestrator.sum("handoff_task_step_duration_seconds_count", answered))
            .as("turns that ended").isGreaterThan(before.sum("handoff_task_step_duration_seconds_count", answered));
        assertThat(orchestrator.sum("handoff_task_step_duration_seconds_bucket", Map.of("step", "running",
            "next", "turn_ended", "le", "+Inf"))).as("a histogram, for percentiles").isPositive();
        assertThat(orchestrator.sum("handoff_task_step_ends_total", Map.of("step", "running", "next", "turn_ended",
            "cause", "AgentTurnEnded"))).isPositive();
        await("tasks by status counted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
            .until(() -> scrape("orchestrator-service").sum("handoff_tasks", Map.of("status", "turn_ended")) >= 1);

        assertThat(scrape("chat-service").sum("http_server_requests_seconds_count", submitted))
            .as("the submit request, by route template").isGreaterThan(submittedBefore);
        assertThat(streamsWhileOpen[0]).as("open live streams while one was read").isGreaterThanOrEqualTo(1);
        assertThat(scrape("vm-agent-gateway").sum("handoff_gateway_nodes_connected", Map.of()))
            .as("the node that ran the task").isGreaterThanOrEqualTo(1);
        assertThat(scrape("vm-agent-gateway").has("handoff_gateway_commands_waiting", Map.of())).isTrue();

        // The relay: the agent's answer came through the gateway as reports and was stored by the chat.
        PrometheusText chat = scrape("chat-service");
        assertThat(chat.sum("handoff_chat_agent_output_applied_total", Map.of()))
            .as("agent output applied to the transcript")
            .isGreaterThan(chatBefore.sum("handoff_chat_agent_output_applied_total", Map.of()));
        assertThat(chat.sum("handoff_chat_agent_output_relay_seconds_count", Map.of()))
            .as("relay latencies, one per output applied")
            .isEqualTo(chat.sum("handoff_chat_agent_output_applied_total", Map.of()));
        assertThat(chat.sum("handoff_chat_agent_output_relay_seconds_sum", Map.of()))
            .as("relay latency, the node's report to the chat's commit")
            .isGreaterThan(chatBefore.sum("handoff_chat_agent_output_relay_seconds_sum", Map.of()));
        assertThat(chat.sum("handoff_chat_agent_output_relay_seconds_bucket", Map.of("le", "+Inf")))
            .as("a histogram, for percentiles").isPositive();
        assertThat(scrape("vm-agent-gateway").sum("handoff_gateway_reports_total", Map.of("outcome", "taken")))
            .as("the node's reports the gateway took").isGreaterThan(reportsBefore);
        for (String service : SERVICES) {
            PrometheusText metrics = scrape(service);
            assertThat(metrics.has("handoff_outbox_oldest_pending_age_seconds", Map.of()))
                .as(service + " reports its outbox's oldest pending age").isTrue();
        }

        // What the saga logged about the task names it (the MDC's taskId in the console format).
        await("the orchestrator's log names the task").atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> Files.readAllLines(stack.logFile("orchestrator-service")).stream()
                .anyMatch(line -> line.contains("[" + taskId + "] task " + taskId + ": ")
                    && line.contains("-> provisioning_node")));
    }

    private PrometheusText scrape(String service) throws Exception {
        HttpResponse<String> response = get(service, stack.internalToken());
        assertThat(response.statusCode()).as(service + " /q/metrics: " + response.body()).isEqualTo(200);
        return new PrometheusText(response.body());
    }

    private PrometheusText scrapeQuietly(String service) {
        try {
            return scrape(service);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String service, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.serviceUrl(service) + "/q/metrics"))
            .timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The Prometheus text exposition format, read as a scraper reads it: samples by name and labels. */
    record PrometheusText(String body) {

        /** The sum of the samples of {@code name} whose labels include {@code labels}. */
        double sum(String name, Map<String, String> labels) {
            return body.lines().filter(line -> matches(line, name, labels))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        }

        boolean has(String name, Map<String, String> labels) {
            return body.lines().anyMatch(line -> matches(line, name, labels));
        }

        private static boolean matches(String line, String name, Map<String, String> labels) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                return false;
            }
            return labels.entrySet().stream().allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""));
        }
    }
}
