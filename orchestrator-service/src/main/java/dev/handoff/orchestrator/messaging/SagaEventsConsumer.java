package dev.handoff.orchestrator.messaging;

import dev.handoff.contracts.Envelope;
import dev.handoff.contracts.EventType;
import dev.handoff.orchestrator.service.TaskSagaService;
import dev.handoff.servicekit.EventRuns;
import dev.handoff.servicekit.IncomingEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.EnumSet;
import java.util.Set;

/** Feeds the saga the events it advances on, from the three topics that carry them. */
@ApplicationScoped
public class SagaEventsConsumer {

    /** The types the saga acts on; everything else on these topics is someone else's. */
    static final Set<EventType> SAGA_INPUTS = EnumSet.of(EventType.TASK_CREATED, EventType.NODE_READY,
        EventType.NODE_FAILED, EventType.NODE_LOST, EventType.WORKSPACE_READY, EventType.WORKSPACE_FAILED,
        EventType.AGENT_STARTED, EventType.AGENT_FAILED, EventType.AGENT_OUTPUT, EventType.AGENT_TURN_ENDED, EventType.TASK_CANCEL_REQUESTED,
        EventType.AGENT_STOPPED, EventType.FOLLOW_UP_SUBMITTED, EventType.AGENT_PROMPT_DELIVERED,
        EventType.PERMISSION_REQUESTED, EventType.PERMISSION_ANSWERED);

    @Inject
    TaskSagaService sagaService;

    @Inject
    EventRuns runs;

    @Incoming("task-events")
    public Uni<Void> onTaskEvent(ConsumerRecord<String, String> record) {
        return apply(record);
    }

    @Incoming("provisioner-events")
    public Uni<Void> onProvisionerEvent(ConsumerRecord<String, String> record) {
        return apply(record);
    }

    /**
     * A poll's node reports at once (a batch channel): each run of consecutive agent output in one transaction
     * (the agent's output only moves the stall clock, and there may be thousands a second), everything else one
     * event at a time, in the records' order ({@link EventRuns}).
     */
    @Incoming("node-reports")
    public Uni<Void> onNodeReports(ConsumerRecords<String, String> records) {
        return runs.apply(records, event -> event.eventType() == EventType.AGENT_OUTPUT && event.taskId() != null,
            sagaService::handleAll, this::applyEvent);
    }

    private Uni<Void> apply(ConsumerRecord<String, String> record) {
        return applyEvent(IncomingEvents.decode(record));
    }

    private Uni<Void> applyEvent(Envelope event) {
        if (!SAGA_INPUTS.contains(event.eventType()) || event.taskId() == null) {
            return IncomingEvents.ignored("orchestrator-service", event);
        }
        return sagaService.handle(event);
    }
}
