package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.gateway.repository.AssignmentRepository;
import dev.handoff.gateway.repository.RoutedCommand;
import dev.handoff.gateway.repository.TaskAssignment;
import dev.handoff.gateway.service.ReportTranslator.Claim;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.UUID;

/**
 * The node trust rule: a node speaks only for the tasks it holds. A report is taken only when the command it names
 * was routed to this very node for the task it names, and the task's latest command went to this node (a task that
 * moved to another node is no longer this node's). Judged against the stored {@code routed_command} and
 * {@code task_assignment} rows ({@link TaskAssignments}), so every gateway replica and a restarted gateway judge
 * alike. Call inside a transaction.
 */
@ApplicationScoped
public class ReportAuthority {

    private static final Logger LOG = Logger.getLogger(ReportAuthority.class);

    /**
     * The longest id a node may choose (delivery, agent session, permission request, ...): other services keep them
     * as they came (the saga remembers answered permission requests), so a hostile node must not fill rows with
     * megabyte ids. Real ones are UUIDs or short JSON-RPC ids.
     */
    static final int MAX_ID_LENGTH = 200;

    @Inject
    ReportTranslator translator;

    @Inject
    AssignmentRepository assignments;

    /** The judgement on one report: the event to commit, or the reason it is refused (told to the node). */
    public record Verdict(Optional<Envelope> event, String refusal) {

        static Verdict taken(Envelope event) {
            return new Verdict(Optional.of(event), null);
        }

        static Verdict refused(String reason) {
            return new Verdict(Optional.empty(), reason);
        }

        public boolean isRefused() {
            return refusal != null;
        }
    }

    public Uni<Verdict> judge(String nodeId, NodeMessage report) {
        Optional<Claim> read = translator.claimOf(nodeId, report);
        if (read.isEmpty()) {
            return refuse(nodeId, "not a report", "sent " + report.getClass().getSimpleName());
        }
        Claim claim = read.get();
        UUID commandId = parse(claim.commandId());
        if (commandId == null || claim.taskId() == null) {
            return refuse(nodeId, "a report needs a command id and a task id", "sent a report without them");
        }
        if (claim.taskId().length() > MAX_ID_LENGTH
            || claim.ids().stream().anyMatch(id -> id.length() > MAX_ID_LENGTH)) {
            return refuse(nodeId, "an id in the report is longer than " + MAX_ID_LENGTH + " characters",
                "sent an oversized id in " + claim.payload().getClass().getSimpleName());
        }
        String what = claim.payload().getClass().getSimpleName() + " on command " + commandId + " of task "
            + claim.taskId();
        return assignments.command(commandId.toString()).flatMap(routed -> {
            if (routed == null || !routed.nodeId.equals(nodeId) || !routed.taskId.equals(claim.taskId())) {
                return refuse(nodeId, "command " + commandId + " of task " + claim.taskId()
                    + " was not routed to this node", what + ": " + describe(routed));
            }
            return assignments.assignmentOf(claim.taskId()).flatMap(assignment -> {
                if (assignment == null || !assignment.nodeId.equals(nodeId)) {
                    return refuse(nodeId, "task " + claim.taskId() + " is no longer on this node",
                        what + ": the task is held by " + holder(assignment));
                }
                return Uni.createFrom().item(Verdict.taken(Envelope.causedBy(commandId, claim.taskId(), nodeId,
                    routed.traceparent, claim.payload())));
            });
        });
    }

    private static Uni<Verdict> refuse(String nodeId, String reason, String detail) {
        LOG.warnf("node %s refused a report: %s (%s); no event", nodeId, reason, detail);
        return Uni.createFrom().item(Verdict.refused(reason));
    }

    private static String describe(RoutedCommand routed) {
        return routed == null ? "no such command was routed"
            : "it was routed to node " + routed.nodeId + " for task " + routed.taskId;
    }

    private static String holder(TaskAssignment assignment) {
        return assignment == null ? "no node" : "node " + assignment.nodeId;
    }

    private static UUID parse(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
