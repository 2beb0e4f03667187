package dev.handoff.vmagent.node;

import dev.handoff.vmagent.gateway.OutboundQueue;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every {@code interval}, or every third of the silence the gateway allows when its Welcome names a shorter one
 * ({@link OutboundQueue#gatewaySilenceLimit}), offers the node's vital signs to the gateway as a {@code heartbeat}
 * frame; while not connected the latest one waits for the next Welcome (see {@link OutboundQueue#offerUnnumbered}).
 * Heartbeats are never numbered or resent.
 */
public final class HeartbeatSender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HeartbeatSender.class.getName());
    /** How often the sender looks whether a heartbeat is due. */
    private static final Duration TICK = Duration.ofSeconds(1);

    private final NodeVitals vitals;
    private final OutboundQueue outbound;
    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    /** When the last heartbeat was offered ({@link System#nanoTime}); only the timer thread touches it. */
    private long lastBeatNanos;
    private boolean beaten;

    public HeartbeatSender(NodeVitals vitals, OutboundQueue outbound, Duration interval) {
        this.vitals = vitals;
        this.outbound = outbound;
        this.interval = interval;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::beatWhenDue, 0, Math.min(TICK.toMillis(), interval.toMillis()),
            TimeUnit.MILLISECONDS);
    }

    /** The time between two heartbeats now: the configured interval, shorter when the gateway allows less silence. */
    Duration currentInterval() {
        return outbound.gatewaySilenceLimit().map(limit -> limit.dividedBy(3))
            .filter(third -> third.compareTo(interval) < 0).orElse(interval);
    }

    private void beatWhenDue() {
        long now = System.nanoTime();
        if (!beaten || now - lastBeatNanos >= currentInterval().toNanos()) {
            beaten = true;
            lastBeatNanos = now;
            beat();
        }
    }

    /** Offers one heartbeat now. */
    public void beat() {
        try {
            outbound.offerUnnumbered(vitals.read());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "heartbeat not made: {0}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
