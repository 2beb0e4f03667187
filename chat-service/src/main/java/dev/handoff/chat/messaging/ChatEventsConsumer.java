package dev.handoff.chat.messaging;

import dev.handoff.chat.service.BranchPublicationService;
import dev.handoff.chat.service.FollowUpService;
import dev.handoff.chat.service.PermissionService;
import dev.handoff.chat.service.TaskStatusService;
import dev.handoff.chat.service.TranscriptService;
import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventType;
import dev.handoff.servicekit.EventRuns;
import dev.handoff.servicekit.IncomingEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Brings the orchestrator's status changes, the agent's output and its permission requests into the chat. */
@ApplicationScoped
public class ChatEventsConsumer {

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
    EventRuns runs;

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
     * transcript in one transaction each, everything else one event at a time, in the records' order
     * ({@link EventRuns}: a bad record goes to the dead-letter topic and the rest of the poll goes on).
     */
    @Incoming("node-reports")
    public Uni<Void> onNodeReports(ConsumerRecords<String, String> records) {
        return runs.apply(records, event -> event.eventType() == EventType.AGENT_OUTPUT,
            transcripts::applyAgentOutputs, this::onNodeReport);
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
}
