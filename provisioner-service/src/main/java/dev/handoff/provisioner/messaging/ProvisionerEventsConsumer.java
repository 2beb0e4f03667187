package dev.handoff.provisioner.messaging;

import dev.handoff.contracts.Envelope;
import dev.handoff.provisioner.service.NodeHeartbeatService;
import dev.handoff.provisioner.service.NodeProvisioningService;
import dev.handoff.provisioner.service.NodeReleaseService;
import dev.handoff.servicekit.IncomingEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Node requests and task ends from the orchestrator; node connections and heartbeats from the gateway. */
@ApplicationScoped
public class ProvisionerEventsConsumer {

    @Inject
    NodeProvisioningService provisioning;

    @Inject
    NodeHeartbeatService heartbeats;

    @Inject
    NodeReleaseService releases;

    /** Task ends release the task's node. */
    @Incoming("task-events")
    public Uni<Void> onTaskEvent(ConsumerRecord<String, String> record) {
        Envelope event = IncomingEvents.decode(record);
        return switch (event.eventType()) {
            case TASK_STATUS_CHANGED -> releases.onTaskStatusChanged(event);
            default -> IncomingEvents.ignored("provisioner-service", event);
        };
    }

    @Incoming("provisioner-commands")
    public Uni<Void> onCommand(ConsumerRecord<String, String> record) {
        Envelope command = IncomingEvents.decode(record);
        return switch (command.eventType()) {
            case NODE_REQUESTED -> provisioning.onNodeRequested(command);
            default -> IncomingEvents.ignored("provisioner-service", command);
        };
    }

    @Incoming("gateway-events")
    public Uni<Void> onGatewayEvent(ConsumerRecord<String, String> record) {
        Envelope event = IncomingEvents.decode(record);
        return switch (event.eventType()) {
            case NODE_CONNECTED -> provisioning.onNodeConnected(event);
            case NODE_DISCONNECTED -> provisioning.onNodeDisconnected(event);
            case NODE_HEARTBEAT -> heartbeats.onHeartbeat(event);
            default -> IncomingEvents.ignored("provisioner-service", event);
        };
    }
}
