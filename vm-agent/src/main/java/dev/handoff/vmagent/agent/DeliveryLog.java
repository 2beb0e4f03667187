package dev.handoff.vmagent.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.handoff.contracts.Json;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.AgentStartedReport;
import dev.handoff.contracts.node.NodeMessage.StartAgent;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.vmagent.gateway.ReportSink;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * What became of each StartAgent delivery, on disk ({@code <work>/deliveries/<deliveryId>.json}, replaced
 * atomically), so a delivery redelivered after the vm-agent restarted never starts a second agent nor sends its
 * prompt again. A delivery is recorded {@code accepted} before its agent is launched, {@code prompt_delivered}
 * (with the agent session id) once the prompt is on the agent's stdin, then {@code failed} (with the reason) or
 * {@code ended} (with the stop reason). {@code failed} and {@code ended} are final.
 */
public final class DeliveryLog {

    /** The answer to a delivery whose agent did not survive the vm-agent that ran it. */
    public static final String LOST_ON_RESTART = "the agent was lost when the node restarted";

    private static final Logger LOG = Logger.getLogger(DeliveryLog.class.getName());
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** A delivery's recorded state. */
    public enum State {
        @JsonProperty("accepted") ACCEPTED,
        @JsonProperty("prompt_delivered") PROMPT_DELIVERED,
        @JsonProperty("failed") FAILED,
        @JsonProperty("ended") ENDED;

        boolean isFinal() {
            return this == FAILED || this == ENDED;
        }
    }

    /** One delivery's record. */
    public record Delivery(String deliveryId, String commandId, String taskId, String workspaceId, String agent,
                           State state, String agentSessionId, String failureReason, String stopReason,
                           Instant updatedAt) {

        Delivery with(State next, String sessionId, String reason, String stop) {
            return new Delivery(deliveryId, commandId, taskId, workspaceId, agent, next,
                sessionId != null ? sessionId : agentSessionId, reason != null ? reason : failureReason,
                stop != null ? stop : stopReason, Instant.now());
        }
    }

    private final Path dir;

    public DeliveryLog(Path dir) {
        this.dir = dir;
    }

    /** The delivery's record, or empty when this node never accepted it. */
    public synchronized Optional<Delivery> find(String deliveryId) throws IOException {
        try {
            return Optional.of(Json.MAPPER.readValue(file(deliveryId).toFile(), Delivery.class));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Records that {@code command} is accepted: from now on it is never started again. */
    public synchronized void recordAccepted(StartAgent command) throws IOException {
        write(new Delivery(command.deliveryId(), command.commandId(), command.taskId(), command.workspaceId(),
            command.agent(), State.ACCEPTED, null, null, null, Instant.now()));
    }

    /** Records a later state; a final state is never replaced, and nothing moves back to an earlier state. */
    public synchronized void advance(String deliveryId, State next, String agentSessionId, String failureReason,
                                     String stopReason) throws IOException {
        Optional<Delivery> current = find(deliveryId);
        if (current.isEmpty()) {
            return;
        }
        Delivery delivery = current.get();
        if (delivery.state().isFinal() || delivery.state().ordinal() >= next.ordinal()) {
            return;
        }
        write(delivery.with(next, agentSessionId, failureReason, stopReason));
    }

    /**
     * A sink for one delivery's reports that records its state before passing each on: AgentStarted as
     * prompt_delivered, AgentFailed as failed, TurnEnded as ended.
     */
    public ReportSink recording(StartAgent command, ReportSink reports) {
        String deliveryId = command.deliveryId();
        return report -> {
            try {
                if (report instanceof AgentStartedReport started) {
                    advance(deliveryId, State.PROMPT_DELIVERED, started.agentSessionId(), null, null);
                } else if (report instanceof AgentFailedReport failed) {
                    advance(deliveryId, State.FAILED, null, failed.reason(), null);
                } else if (report instanceof TurnEndedReport ended) {
                    advance(deliveryId, State.ENDED, ended.agentSessionId(), null, ended.stopReason());
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.SEVERE, "cannot record the state of delivery " + deliveryId + " after "
                    + report.getClass().getSimpleName(), e);
            }
            reports.report(report);
        };
    }

    private void write(Delivery delivery) throws IOException {
        Files.createDirectories(dir);
        Path target = file(delivery.deliveryId());
        Path temp = Files.createTempFile(dir, ".delivery-", ".tmp");
        try {
            Files.write(temp, Json.MAPPER.writeValueAsBytes(delivery));
            try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private Path file(String deliveryId) {
        if (deliveryId == null || !SAFE_ID.matcher(deliveryId).matches() || deliveryId.contains("..")) {
            throw new IllegalArgumentException("deliveryId '" + deliveryId + "' is not a safe file name");
        }
        return dir.resolve(deliveryId + ".json");
    }
}
