package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.node.NodeMessage.NumberedReport;
import dev.handoff.gateway.repository.NodeReportStream;
import dev.handoff.gateway.repository.ReportStreamRepository;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Takes a node's numbered reports exactly once: the report's event and the node's new stream position commit in
 * one transaction, so a report the node sends again (it had no ack when its connection died) is recognised by
 * its number and makes no second event.
 */
@ApplicationScoped
public class ReportIntake {

    private static final Logger LOG = Logger.getLogger(ReportIntake.class);

    /** What became of one numbered report. */
    public enum Taken {
        /** Its event (if it stands for one) is committed now; acknowledge it. */
        TAKEN,
        /** Taken before; no event; acknowledge it again. */
        DUPLICATE,
        /**
         * Not taken: an earlier number is missing (its commit failed), or this commit failed; the node must
         * reconnect and resend from its oldest unacknowledged report.
         */
        OUT_OF_ORDER,
        /**
         * Not the node's to report ({@link ReportAuthority}): no event, but its number is taken like any other, so
         * the node's stream goes on; acknowledge it and tell the node why.
         */
        REFUSED
    }

    /** What became of a report, and for {@link Taken#REFUSED} the reason. */
    public record Intake(Taken taken, String refusal) {

        static Intake of(Taken taken) {
            return new Intake(taken, null);
        }
    }

    @Inject
    ReportAuthority authority;

    @Inject
    ReportStreamRepository streams;

    @Inject
    EventTransactions transactions;

    /**
     * Commits the event for {@code numbered} unless its number was taken before or comes too early, or the report is
     * not this node's to make.
     */
    public Uni<Intake> takeOnce(String nodeId, NumberedReport numbered) {
        return transactions.commit(() -> streams.find(nodeId).flatMap(position -> {
            boolean sameStream = position != null && position.stream.equals(numbered.stream());
            long last = sameStream ? position.lastNumber : 0;
            if (numbered.number() <= last) {
                LOG.debugf("node %s resent report %d of stream %s; dropped", nodeId, numbered.number(),
                    numbered.stream());
                return Uni.createFrom().item(Outcome.of(Intake.of(Taken.DUPLICATE), List.<Envelope>of()));
            }
            if (numbered.number() != last + 1) {
                LOG.warnf("node %s sent report %d of stream %s, expected %d", nodeId, numbered.number(),
                    numbered.stream(), last + 1);
                return Uni.createFrom().item(Outcome.of(Intake.of(Taken.OUT_OF_ORDER), List.<Envelope>of()));
            }
            return authority.judge(nodeId, numbered.report())
                .flatMap(verdict -> advance(nodeId, position, numbered, verdict));
        }));
    }

    /** Moves the node's stream position to {@code numbered}, committing the verdict's event with it (if any). */
    private Uni<Outcome<Intake>> advance(String nodeId, NodeReportStream position, NumberedReport numbered,
                                         ReportAuthority.Verdict verdict) {
        NodeReportStream next = position != null ? position : new NodeReportStream();
        boolean fresh = position == null;
        next.nodeId = nodeId;
        next.stream = numbered.stream();
        next.lastNumber = numbered.number();
        next.updatedAt = Instant.now();
        Uni<NodeReportStream> saved = fresh ? streams.persist(next) : Uni.createFrom().item(next);
        Intake intake = verdict.isRefused() ? new Intake(Taken.REFUSED, verdict.refusal()) : Intake.of(Taken.TAKEN);
        return saved.replaceWith(Outcome.of(intake, verdict.event().map(List::of).orElse(List.of())));
    }
}
