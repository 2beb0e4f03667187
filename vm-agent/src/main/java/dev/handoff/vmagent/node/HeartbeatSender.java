package dev.handoff.vmagent.node;

import dev.handoff.vmagent.gateway.OutboundQueue;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every {@code interval}, offers the node's vital signs to the gateway as a {@code heartbeat} frame; while not
 * connected the latest one waits for the next Welcome (see {@link OutboundQueue#offerUnnumbered}). Heartbeats are
 * never numbered or resent.
 */
public final class HeartbeatSender implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HeartbeatSender.class.getName());

    private final NodeVitals vitals;
    private final OutboundQueue outbound;
    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    public HeartbeatSender(NodeVitals vitals, OutboundQueue outbound, Duration interval) {
        this.vitals = vitals;
        this.outbound = outbound;
        this.interval = interval;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
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
