package dev.handoff.bench.node;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a simulated node received each task's start_agent, and when its simulated agent handed each chunk of a task
 * to the node's outbound queue ({@link System#nanoTime}).
 */
public final class SendLog {

    private final Map<String, long[]> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> startAgentAt = new ConcurrentHashMap<>();

    void startAgentReceived(String taskId, long nanos) {
        startAgentAt.putIfAbsent(taskId, nanos);
    }

    /** When a node received the task's first start_agent, or null when none did (yet). */
    public Long startAgentReceivedAt(String taskId) {
        return startAgentAt.get(taskId);
    }

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
