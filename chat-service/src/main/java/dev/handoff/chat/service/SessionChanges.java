package dev.handoff.chat.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process doorbell per chat session: writers in this instance ring it right after they commit a change to
 * the session's messages or task, so the live streams of this instance read the database at once instead of at
 * their next poll. Only a latency aid: streams also poll, which is what makes them see changes committed by other
 * chat-service instances.
 */
@ApplicationScoped
public class SessionChanges {

    private final Map<String, Set<Doorbell>> doorbells = new ConcurrentHashMap<>();

    /** Rings every doorbell of the session (null: nothing changed). */
    public void changed(String sessionId) {
        if (sessionId == null) {
            return;
        }
        Set<Doorbell> ringing = doorbells.get(sessionId);
        if (ringing != null) {
            ringing.forEach(Doorbell::ring);
        }
    }

    /** A doorbell for one live stream of the session; {@link Doorbell#close} when the stream ends. */
    public Doorbell doorbell(String sessionId) {
        Doorbell doorbell = new Doorbell(sessionId);
        doorbells.computeIfAbsent(sessionId, id -> ConcurrentHashMap.newKeySet()).add(doorbell);
        return doorbell;
    }

    /** Remembers a ring until the stream next waits, so a change during a read is never missed. */
    public final class Doorbell implements AutoCloseable {

        private final String sessionId;
        private boolean rung;
        private UniEmitter<? super Void> waiting;

        private Doorbell(String sessionId) {
            this.sessionId = sessionId;
        }

        synchronized void ring() {
            if (waiting != null) {
                UniEmitter<? super Void> emitter = waiting;
                waiting = null;
                emitter.complete(null);
            } else {
                rung = true;
            }
        }

        /** Completes when the doorbell rings (at once if it rang since the last wait) or after {@code atMost}. */
        public Uni<Void> next(Duration atMost) {
            return Uni.createFrom().<Void>emitter(emitter -> {
                synchronized (this) {
                    if (rung) {
                        rung = false;
                        emitter.complete(null);
                    } else {
                        waiting = emitter;
                    }
                }
            }).ifNoItem().after(atMost).recoverWithItem(() -> {
                synchronized (this) {
                    waiting = null;
                    rung = false;
                }
                return null;
            });
        }

        @Override
        public void close() {
            doorbells.computeIfPresent(sessionId, (id, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
        }
    }
}
