package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.node.NodeMessage.NumberedReport;
import dev.handoff.gateway.metrics.GatewayMetrics;
import dev.handoff.gateway.repository.NodeReportStream;
import dev.handoff.gateway.repository.ReportStreamRepository;
import dev.handoff.servicekit.outbox.EventTransactions;
import dev.handoff.servicekit.outbox.EventTransactions.Outcome;
import io.smallrye.mutiny.Multi;
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

    @Inject
    GatewayMetrics metrics;

    /**
     * Commits the event for {@code numbered} unless its number was taken before or comes too early, or the report is
     * not this node's to make.
     */
    public Uni<Intake> takeOnce(String nodeId, NumberedReport numbered) {
        return takeAll(nodeId, List.of(numbered)).map(intakes -> intakes.get(0));
    }

    /**
     * As {@link #takeOnce} for each of {@code run} (consecutive frames of one connection), in one transaction: the
     * events and the stream's new position commit together, one commit for the run. The answer has one intake per
     * report up to the first {@link Taken#OUT_OF_ORDER} one (nothing after it is looked at).
     */
    public Uni<List<Intake>> takeAll(String nodeId, List<NumberedReport> run) {
        return transactions.commit(() -> streams.find(nodeId).flatMap(found -> {
            Position position = new Position(found);
            return Multi.createFrom().iterable(run)
                .onItem().transformToUniAndConcatenate(numbered -> position.outOfOrder
                    ? Uni.createFrom().<Outcome<Intake>>nullItem() : takeNext(nodeId, position, numbered))
                .collect().asList()
                .map(outcomes -> Outcome.of(outcomes.stream().map(Outcome::result).toList(),
                    outcomes.stream().flatMap(o -> o.events().stream()).toList()));
        })).invoke(metrics::reportsTaken);
    }

    /** The node's stream position while a run is taken; {@code row} null until the node's first report. */
    private static final class Position {
        NodeReportStream row;
        boolean outOfOrder;

        Position(NodeReportStream row) {
            this.row = row;
        }
    }

    private Uni<Outcome<Intake>> takeNext(String nodeId, Position position, NumberedReport numbered) {
        NodeReportStream row = position.row;
        boolean sameStream = row != null && row.stream.equals(numbered.stream());
        long last = sameStream ? row.lastNumber : 0;
        if (numbered.number() <= last) {
            LOG.debugf("node %s resent report %d of stream %s; dropped", nodeId, numbered.number(),
                numbered.stream());
            return Uni.createFrom().item(Outcome.of(Intake.of(Taken.DUPLICATE), List.<Envelope>of()));
        }
        if (numbered.number() != last + 1) {
            LOG.warnf("node %s sent report %d of stream %s, expected %d", nodeId, numbered.number(),
                numbered.stream(), last + 1);
            position.outOfOrder = true;
            return Uni.createFrom().item(Outcome.of(Intake.of(Taken.OUT_OF_ORDER), List.<Envelope>of()));
        }
        return authority.judge(nodeId, numbered.report())
            .flatMap(verdict -> advance(nodeId, position, numbered, verdict));
    }

    /** Moves the node's stream position to {@code numbered}, committing the verdict's event with it (if any). */
    private Uni<Outcome<Intake>> advance(String nodeId, Position position, NumberedReport numbered,
                                         ReportAuthority.Verdict verdict) {
        boolean fresh = position.row == null;
        NodeReportStream next = fresh ? new NodeReportStream() : position.row;
        next.nodeId = nodeId;
        next.stream = numbered.stream();
        next.lastNumber = numbered.number();
        next.updatedAt = Instant.now();
        position.row = next;
        Uni<NodeReportStream> saved = fresh ? streams.persist(next) : Uni.createFrom().item(next);
        Intake intake = verdict.isRefused() ? new Intake(Taken.REFUSED, verdict.refusal()) : Intake.of(Taken.TAKEN);
        return saved.replaceWith(Outcome.of(intake, verdict.event().map(List::of).orElse(List.of())));
    }
}
