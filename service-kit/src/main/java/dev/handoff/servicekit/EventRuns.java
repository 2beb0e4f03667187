package dev.handoff.servicekit;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.InvalidEventException;
import dev.handoff.contracts.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Applies one poll of a batch channel in the records' order: each run of consecutive events that may go together
 * (agent output) in one call, so its cost is paid per run and not per event, every other event alone. A run that
 * cannot be applied together is applied one event at a time; a record that is not a valid event, or whose work
 * still fails after its retries, goes to the dead-letter topic with the reason (as the channel's failure strategy
 * does for single records), and the rest of the poll goes on.
 */
@ApplicationScoped
public class EventRuns {

    private static final Logger LOG = Logger.getLogger(EventRuns.class);

    @Inject
    EventPublisher publisher;

    /**
     * @param together which events may join a run
     * @param run      applies a run (a failure sends its events to {@code single}, one by one)
     * @param single   applies one event
     */
    public Uni<Void> apply(ConsumerRecords<String, String> records, Predicate<Envelope> together,
                           Function<List<Envelope>, Uni<Void>> run, Function<Envelope, Uni<Void>> single) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        Run current = new Run();
        for (ConsumerRecord<String, String> record : records) {
            Envelope event;
            try {
                event = IncomingEvents.decode(record);
            } catch (InvalidEventException e) {
                chain = chain.flatMap(v -> deadLetter(record, e));
                continue;
            }
            if (together.test(event)) {
                current.add(event, record);
                continue;
            }
            Run done = current;
            chain = chain.flatMap(v -> done.apply(run, single))
                .flatMap(v -> guarded(record, event, () -> single.apply(event)));
            current = new Run();
        }
        Run last = current;
        return chain.flatMap(v -> last.apply(run, single));
    }

    /** Consecutive events of a poll that go together, with their records (for the dead-letter topic). */
    private final class Run {
        private final List<Envelope> events = new ArrayList<>();
        private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

        void add(Envelope event, ConsumerRecord<String, String> record) {
            events.add(event);
            records.add(record);
        }

        Uni<Void> apply(Function<List<Envelope>, Uni<Void>> run, Function<Envelope, Uni<Void>> single) {
            if (events.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return Uni.createFrom().deferred(() -> run.apply(events)).onFailure().recoverWithUni(failure -> {
                LOG.warnf("%d events not applied together (%s); applying them one by one", events.size(),
                    failure.toString());
                Uni<Void> each = Uni.createFrom().voidItem();
                for (int i = 0; i < events.size(); i++) {
                    Envelope event = events.get(i);
                    ConsumerRecord<String, String> record = records.get(i);
                    each = each.flatMap(v -> guarded(record, event, () -> single.apply(event)));
                }
                return each;
            });
        }
    }

    /** One event's work, logged with its task, dead-lettered when it fails. */
    private Uni<Void> guarded(ConsumerRecord<String, String> record, Envelope event, Supplier<Uni<Void>> work) {
        return TaskLogContext.around(event.taskId(),
            () -> work.get().onFailure().recoverWithUni(failure -> deadLetter(record, failure)));
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, String> record, Throwable failure) {
        LOG.errorf("%s/%d@%d goes to %s: %s", record.topic(), record.partition(), record.offset(),
            Topics.DEAD_LETTERS, failure.toString());
        return publisher.deadLetter(record.topic(), record.key(), record.value(),
            failure.getClass().getName() + ": " + failure.getMessage());
    }
}
