package dev.handoff.chat.messaging;

import dev.handoff.chat.service.BranchPublicationService;
import dev.handoff.chat.service.FollowUpService;
import dev.handoff.chat.service.PermissionService;
import dev.handoff.chat.service.TaskStatusService;
import dev.handoff.chat.service.TranscriptService;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventType;
import dev.handoff.contracts.InvalidEventException;
import dev.handoff.contracts.Topics;
import dev.handoff.servicekit.EventPublisher;
import dev.handoff.servicekit.IncomingEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Brings the orchestrator's status changes, the agent's output and its permission requests into the chat. */
@ApplicationScoped
public class ChatEventsConsumer {

    private static final Logger LOG = Logger.getLogger(ChatEventsConsumer.class);

    @Inject
    TaskStatusService statuses;

    @Inject
    TranscriptService transcripts;

    @Inject
    BranchPublicationService publications;

    @Inject
    PermissionService permissions;

    @Inject
    FollowUpService followUps;

    @Inject
    EventPublisher publisher;

    @Incoming("task-events")
    public Uni<Void> onTaskEvent(ConsumerRecord<String, String> record) {
        Envelope event = IncomingEvents.decode(record);
        return switch (event.eventType()) {
            case TASK_STATUS_CHANGED -> statuses.applyStatusChanged(event);
            default -> IncomingEvents.ignored("chat-service", event);
        };
    }

    /**
     * A poll's node reports at once (the channel is a batch channel): runs of consecutive agent output go to the
     * transcript in one transaction each, everything else one event at a time, in the records' order. A record that
     * is not a valid event, or whose work still fails after its retries, goes to the dead-letter topic with the
     * reason, as the channel's failure strategy does for single records, and the rest of the poll goes on.
     */
    @Incoming("node-reports")
    public Uni<Void> onNodeReports(ConsumerRecords<String, String> records) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        List<Envelope> outputs = new ArrayList<>();
        List<ConsumerRecord<String, String>> outputRecords = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            Envelope event;
            try {
                event = IncomingEvents.decode(record);
            } catch (InvalidEventException e) {
                chain = chain.flatMap(v -> deadLetter(record, e));
                continue;
            }
            if (event.eventType() == EventType.AGENT_OUTPUT) {
                outputs.add(event);
                outputRecords.add(record);
                continue;
            }
            List<Envelope> run = outputs;
            List<ConsumerRecord<String, String>> runRecords = outputRecords;
            chain = chain.flatMap(v -> flushOutputs(run, runRecords))
                .flatMap(v -> guarded(record, Uni.createFrom().deferred(() -> onNodeReport(event))));
            // the run is flushed by the step just chained; the next run starts empty
            outputs = new ArrayList<>();
            outputRecords = new ArrayList<>();
        }
        List<Envelope> lastRun = outputs;
        List<ConsumerRecord<String, String>> lastRecords = outputRecords;
        return chain.flatMap(v -> flushOutputs(lastRun, lastRecords));
    }

    private Uni<Void> onNodeReport(Envelope event) {
        return switch (event.eventType()) {
            case AGENT_OUTPUT -> transcripts.applyAgentOutput(event);
            case AGENT_TURN_ENDED -> transcripts.applyTurnEnded(event);
            case BRANCH_PUBLISHED -> publications.applyBranchPublished(event);
            case PERMISSION_REQUESTED -> permissions.applyPermissionRequested(event);
            case AGENT_PROMPT_DELIVERED -> followUps.applyPromptDelivered(event);
            default -> IncomingEvents.ignored("chat-service", event);
        };
    }

    /** One transaction for the run; if it cannot commit, each of its events alone. */
    private Uni<Void> flushOutputs(List<Envelope> run, List<ConsumerRecord<String, String>> runRecords) {
        if (run.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transcripts.applyAgentOutputs(run).onFailure().recoverWithUni(failure -> {
            LOG.warnf("%d agent outputs not applied together (%s); applying them one by one", run.size(),
                failure.toString());
            Uni<Void> each = Uni.createFrom().voidItem();
            for (int i = 0; i < run.size(); i++) {
                Envelope event = run.get(i);
                ConsumerRecord<String, String> record = runRecords.get(i);
                each = each.flatMap(v -> guarded(record, transcripts.applyAgentOutput(event)));
            }
            return each;
        });
    }

    private Uni<Void> guarded(ConsumerRecord<String, String> record, Uni<Void> work) {
        return work.onFailure().recoverWithUni(failure -> deadLetter(record, failure));
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, String> record, Throwable failure) {
        LOG.errorf("node report %s/%d@%d goes to %s: %s", record.topic(), record.partition(), record.offset(),
            Topics.DEAD_LETTERS, failure.toString());
        return publisher.deadLetter(record.topic(), record.key(), record.value(),
            failure.getClass().getName() + ": " + failure.getMessage());
    }
}
