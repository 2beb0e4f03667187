package dev.handoff.gateway.messaging;

import dev.handoff.contracts.Envelope;
import dev.handoff.gateway.service.CommandRouter;
import dev.handoff.gateway.service.NodeAuthenticator;
import dev.handoff.gateway.service.NodeCommandQueues;
import dev.handoff.gateway.service.NodeConnections;
import dev.handoff.servicekit.IncomingEvents;
import dev.handoff.servicekit.SafeContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Node registrations and deletions from the provisioner; commands for nodes from the orchestrator. */
@ApplicationScoped
public class GatewayEventsConsumer {

    @Inject
    NodeAuthenticator authenticator;

    @Inject
    CommandRouter router;

    @Inject
    NodeConnections connections;

    @Inject
    NodeCommandQueues queues;

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

    /**
     * Hands the command to its node's queue and takes the next record at once: a command waiting out its node's
     * reconnect grace holds up only that node's later commands, never other nodes'. The record is acked when its
     * command was sent (or its failure committed), nacked (dead-lettered) when even that failed; Kafka's committed
     * offset never passes an unacked record, so a gateway that dies meanwhile gets it again.
     */
    @Incoming("node-commands")
    public CompletionStage<Void> onNodeCommand(Message<String> message) {
        Envelope command;
        try {
            @SuppressWarnings("unchecked")
            ConsumerRecord<String, String> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> (ConsumerRecord<String, String>) metadata.getRecord())
                .orElseThrow(() -> new IllegalStateException("a node command without its Kafka record"));
            command = IncomingEvents.decode(record);
        } catch (RuntimeException e) {
            return message.nack(e);
        }
        String queue = command.nodeId() != null ? command.nodeId() : "";
        Instant received = Instant.now();
        queues.enqueue(queue, () -> SafeContext.call(null, () -> router.route(command, received)))
            .whenComplete((v, failure) -> {
                if (failure == null) {
                    message.ack();
                } else {
                    message.nack(failure);
                }
            });
        return CompletableFuture.completedFuture(null);
    }
}
