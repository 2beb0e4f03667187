package dev.handoff.chat.messaging;

import dev.handoff.chat.service.BranchPublicationService;
import dev.handoff.chat.service.FollowUpService;
import dev.handoff.chat.service.PermissionService;
import dev.handoff.chat.service.TaskStatusService;
import dev.handoff.chat.service.TranscriptService;
import dev.handoff.contracts.Envelope;
import dev.handoff.servicekit.IncomingEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    @Incoming("task-events")
    public Uni<Void> onTaskEvent(ConsumerRecord<String, String> record) {
        Envelope event = IncomingEvents.decode(record);
        return switch (event.eventType()) {
            case TASK_STATUS_CHANGED -> statuses.applyStatusChanged(event);
            default -> IncomingEvents.ignored("chat-service", event);
        };
    }

    @Incoming("node-reports")
    public Uni<Void> onNodeReport(ConsumerRecord<String, String> record) {
        Envelope event = IncomingEvents.decode(record);
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
