package dev.handoff.bench.node;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** When a simulated agent handed each chunk of a task to its node's outbound queue ({@link System#nanoTime}). */
public final class SendLog {

    private final Map<String, long[]> sentAt = new ConcurrentHashMap<>();

    void planned(String taskId, long chunks) {
        sentAt.put(taskId, new long[(int) chunks + 1]);
    }

    void sent(String taskId, long index, long nanos) {
        sentAt.get(taskId)[(int) index] = nanos;
    }

    /** Index = chunk number from 1; 0 where not sent (yet); null for a task no node streamed. */
    public long[] of(String taskId) {
        return sentAt.get(taskId);
    }
}
