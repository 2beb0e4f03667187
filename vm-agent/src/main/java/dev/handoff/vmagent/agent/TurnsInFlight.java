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
 * a follow-up is accepted, before anything reaches an agent, and removed when its turn ended or failed (the report
 * passes through {@link #clearing}) or its agent was stopped. A record found when the vm-agent starts is a turn
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

    public void begin(String deliveryId, String commandId, String taskId, String promptId) throws IOException {
        records.write(deliveryId, new Turn(deliveryId, commandId, taskId, promptId, Instant.now()));
    }

    public void end(String deliveryId) {
        try {
            records.delete(deliveryId);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot clear the turn record of delivery {0}: {1}", new Object[] {deliveryId,
                e.getMessage()});
        }
    }

    /** A sink that clears the delivery's record when its turn ended or failed, then passes the report on. */
    public ReportSink clearing(String deliveryId, ReportSink reports) {
        return report -> {
            if (report instanceof TurnEndedReport || report instanceof AgentFailedReport) {
                end(deliveryId);
            }
            reports.report(report);
        };
    }

    /**
     * The turns the last vm-agent left under way; each is answered AgentFailed
     * ({@value #RESTARTED_DURING_THE_TURN}) through {@code reports} and forgotten.
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
            NodeMessage failed = new AgentFailedReport(turn.commandId(), turn.taskId(), turn.deliveryId(),
                RESTARTED_DURING_THE_TURN);
            reports.report(failed);
            end(turn.deliveryId());
        }
        return left;
    }
}
