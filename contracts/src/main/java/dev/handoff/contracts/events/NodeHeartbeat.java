package dev.handoff.contracts.events;

/**
 * A connected node's latest vital signs, forwarded by the gateway from the node's {@code heartbeat} frame. Not
 * every frame becomes an event (the gateway forwards at most one per node per interval) and none is replayed: a
 * lost heartbeat is replaced by the next one.
 *
 * @param loadAverage          the system load average over the last minute; negative when the node cannot tell
 * @param cpus                 processors available to the vm-agent
 * @param memoryTotalBytes     physical memory
 * @param memoryAvailableBytes physical memory free
 * @param diskFreeBytes        usable space on the file system of the vm-agent's work directory
 */
public record NodeHeartbeat(double loadAverage, int cpus, long memoryTotalBytes, long memoryAvailableBytes,
                            long diskFreeBytes) implements EventPayload {
}
