package dev.handoff.vmagent.agent;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.AgentFailedReport;
import dev.handoff.contracts.node.NodeMessage.TurnEndedReport;
import dev.handoff.vmagent.gateway.ReportSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The turns under way on this node, on disk ({@code <work>/turns/<deliveryId>.json}): written when a StartAgent or
 * a follow-up is accepted, before anything reaches an agent, and removed once the report that its turn ended or
 * failed is with the gateway (acknowledged; the report passes through {@link #clearing}) or its agent was stopped. A record found when the vm-agent starts is a turn
 * whose agent died with the last vm-agent: it is reported failed, never run again.
 */
public final class TurnsInFlight {

    /** Why a turn under way when the vm-agent died fails. */
    public static final String RESTARTED_DURING_THE_TURN = "the node's agent restarted during the turn";

    private static final Logger LOG = Logger.getLogger(TurnsInFlight.class.getName());

    /** One turn under way: the command it came with (StartAgent or SendPrompt), so its failure answers it. */
    public record Turn(String deliveryId, String commandId, String taskId, String promptId, Instant startedAt) {
    }

    private final JsonRecordDir<Turn> records;

    public TurnsInFlight(Path dir) {
        this.records = new JsonRecordDir<>(dir, Turn.class);
    }

    public synchronized void begin(String deliveryId, String commandId, String taskId, String promptId) throws IOException {
        records.write(deliveryId, new Turn(deliveryId, commandId, taskId, promptId, Instant.now()));
    }

    public synchronized void end(String deliveryId) {
        try {
            records.delete(deliveryId);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot clear the turn record of delivery {0}: {1}", new Object[] {deliveryId,
                e.getMessage()});
        }
    }

    /** Removes the delivery's record if it is still the one of command {@code commandId} (no later turn began). */
    synchronized void end(String deliveryId, String commandId) {
        try {
            var current = records.find(deliveryId);
            if (current.isPresent() && java.util.Objects.equals(current.get().commandId(), commandId)) {
                records.delete(deliveryId);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot clear the turn record of delivery {0}: {1}", new Object[] {deliveryId,
                e.getMessage()});
        }
    }

    /**
     * A sink that passes reports on and, once a report that the turn ended or failed is acknowledged, clears the
     * delivery's record (unless a later turn began meanwhile). A vm-agent killed before that ack leaves the record:
     * its successor reports the turn failed, which the orchestrator ignores when the turn's end did arrive.
     */
    public ReportSink clearing(String deliveryId, ReportSink reports) {
        return new ReportSink() {
            @Override
            public void report(NodeMessage report) {
                reports.report(report);
                String commandId = report instanceof TurnEndedReport ended ? ended.commandId()
                    : report instanceof AgentFailedReport failed ? failed.commandId() : null;
                if (commandId != null) {
                    reports.afterTaken(() -> end(deliveryId, commandId));
                }
            }

            @Override
            public void afterTaken(Runnable action) {
                reports.afterTaken(action);
            }
        };
    }

    /**
     * The turns the last vm-agent left under way; each is answered AgentFailed
     * ({@value #RESTARTED_DURING_THE_TURN}) through {@code reports} and forgotten once the gateway has that report.
     */
    public List<Turn> failLeftovers(ReportSink reports) {
        List<Turn> left;
        try {
            left = records.all();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list the turns of the last run: {0}", e.getMessage());
            return List.of();
        }
        for (Turn turn : left) {
            LOG.log(Level.WARNING, "delivery {0} (task {1}) was in a turn when the last vm-agent ended; reporting it "
                + "failed", new Object[] {turn.deliveryId(), turn.taskId()});
            // Permanent: the prompt was delivered, so the turn is never tried again.
            NodeMessage failed = new AgentFailedReport(turn.commandId(), turn.taskId(), turn.deliveryId(),
                RESTARTED_DURING_THE_TURN, false, "agent_restarted");
            reports.report(failed);
            reports.afterTaken(() -> end(turn.deliveryId(), turn.commandId()));
        }
        return left;
    }
}
