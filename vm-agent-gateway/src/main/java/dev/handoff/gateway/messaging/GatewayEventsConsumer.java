package dev.handoff.gateway.messaging;

import dev.handoff.contracts.Envelope;
import dev.handoff.gateway.service.CommandRouter;
import dev.handoff.gateway.service.NodeAuthenticator;
import dev.handoff.gateway.service.NodeConnections;
import dev.handoff.servicekit.IncomingEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Node registrations and deletions from the provisioner; commands for nodes from the orchestrator. */
@ApplicationScoped
public class GatewayEventsConsumer {

    @Inject
    NodeAuthenticator authenticator;

    @Inject
    CommandRouter router;

    @Inject
    NodeConnections connections;

    @Incoming("provisioner-events")
    public Uni<Void> onProvisionerEvent(ConsumerRecord<String, String> record) {
        Envelope event = IncomingEvents.decode(record);
        return switch (event.eventType()) {
            case NODE_REGISTERED -> authenticator.register(event);
            case NODE_DELETED -> authenticator.forget(event)
                .flatMap(first -> connections.refuse(event.nodeId(), "the node was deleted"));
            default -> IncomingEvents.ignored("vm-agent-gateway", event);
        };
    }

    @Incoming("node-commands")
    public Uni<Void> onNodeCommand(ConsumerRecord<String, String> record) {
        return router.route(IncomingEvents.decode(record));
    }
}
