package dev.handoff.gateway.service;

import dev.handoff.contracts.Envelope;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The commands this gateway routed recently, so a node's report can be tied to the command it answers (its
 * task, node and trace). In memory and bounded; a report for a command it no longer knows is still accepted.
 */
@ApplicationScoped
public class CommandLog {

    static final int CAPACITY = 10_000;

    private final Map<UUID, Envelope> commands = Collections.synchronizedMap(
        new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Envelope> eldest) {
                return size() > CAPACITY;
            }
        });

    public void remember(Envelope command) {
        commands.put(command.eventId(), command);
    }

    public Optional<Envelope> find(UUID commandId) {
        return Optional.ofNullable(commands.get(commandId));
    }
}
