package dev.handoff.vmagent.gateway;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.Ack;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeMessage.NumberedReport;
import dev.handoff.contracts.node.NodeProtocol;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one ordered stream of reports to the gateway. It outlives connections. Every report gets the next number
 * of this stream (1, 2, 3...) and stays here until the gateway acknowledges it ({@link Ack}, cumulative: all
 * numbers up to {@code upTo}). After each Welcome every unacknowledged report is sent again, in number order,
 * so a report written onto a dying connection is not lost; the gateway drops the numbers it already took, so
 * it is not doubled either.
 *
 * <p>The reports kept unacknowledged are bounded by {@code maxUnackedBytes} (encoded size). Beyond it,
 * {@code agent_output} reports wait in {@link #report} until acks free room: the agent's output pipe fills and
 * the agent pauses; nothing is dropped. All other reports (few and small, some made on the WebSocket's own
 * thread, which must not wait for acks it would read) are always taken.
 *
 * <p>{@link WebSocket} allows one outstanding send at a time, so a single sender thread does all sends.
 */
public final class OutboundQueue implements ReportSink, AutoCloseable {

    /** Default bound of the unacknowledged reports' encoded size. */
    public static final long DEFAULT_MAX_UNACKED_BYTES = 16L * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(OutboundQueue.class.getName());
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private record Entry(long number, String frame, int bytes) {
    }

    /** An action waiting until the report with this number is acknowledged. */
    private record AfterAck(long number, Runnable action) {
    }

    private final String stream = UUID.randomUUID().toString();
    private final long maxUnackedBytes;
    private final Object lock = new Object();
    /** Unacknowledged reports in number order; numbers are contiguous. */
    private final List<Entry> unacked = new ArrayList<>();
    private final List<AfterAck> afterAcks = new ArrayList<>();
    private long nextNumber = 1;
    private long unackedBytes;
    /** Highest number sent on the current connection. */
    private long sentUpTo;
    private WebSocket socket;
    /** The latest unnumbered (heartbeat) frame not sent yet; a newer one replaces it. */
    private String heartbeat;
    private Runnable onSendFailed = () -> { };
    private final Thread sender = new Thread(this::sendForever, "gateway-sender");
    private volatile boolean closed;

    public OutboundQueue() {
        this(DEFAULT_MAX_UNACKED_BYTES);
    }

    public OutboundQueue(long maxUnackedBytes) {
        this.maxUnackedBytes = maxUnackedBytes;
    }

    public void start() {
        sender.setDaemon(true);
        sender.start();
    }

    /** This vm-agent process's report stream id. */
    public String stream() {
        return stream;
    }

    /**
     * Numbers {@code report} and queues it. An {@code agent_output} report waits here while the unacknowledged
     * reports exceed the bound (and the queue is not closed); other reports never wait.
     */
    @Override
    public void report(NodeMessage report) {
        synchronized (lock) {
            if (report instanceof AgentOutputReport) {
                awaitRoomFor(NodeProtocol.encode(report).length());
            }
            long number = nextNumber++;
            String frame = NodeProtocol.encode(new NumberedReport(stream, number, report));
            int bytes = frame.getBytes(StandardCharsets.UTF_8).length;
            unacked.add(new Entry(number, frame, bytes));
            unackedBytes += bytes;
            lock.notifyAll();
        }
    }

    /** Waits, holding {@link #lock}, while {@code bytes} more would exceed the bound (a lone report always fits). */
    private void awaitRoomFor(int bytes) {
        boolean logged = false;
        while (!closed && !unacked.isEmpty() && unackedBytes + bytes > maxUnackedBytes) {
            if (!logged) {
                LOG.log(Level.WARNING, "{0} unacknowledged reports ({1} bytes) reach the bound of {2} bytes;"
                    + " agent output waits for acks", new Object[] {unacked.size(), unackedBytes, maxUnackedBytes});
                logged = true;
            }
            try {
                lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Sends {@code message} (unnumbered: a heartbeat) before the next report, on the current connection or the
     * next welcomed one; it replaces one not sent yet. Never resent: a frame lost with its connection is gone.
     */
    public void offerUnnumbered(NodeMessage message) {
        String frame = NodeProtocol.encode(message);
        synchronized (lock) {
            heartbeat = frame;
            lock.notifyAll();
        }
    }

    /** Runs {@code action} once the gateway acknowledged every report queued so far (at once when none waits). */
    @Override
    public void afterTaken(Runnable action) {
        synchronized (lock) {
            if (!unacked.isEmpty()) {
                afterAcks.add(new AfterAck(nextNumber - 1, action));
                return;
            }
        }
        action.run();
    }

    /** Number of reports the gateway has not acknowledged yet. */
    public int pendingCount() {
        synchronized (lock) {
            return unacked.size();
        }
    }

    /** Encoded size of the reports the gateway has not acknowledged yet. */
    public long unackedBytes() {
        synchronized (lock) {
            return unackedBytes;
        }
    }

    /** The gateway took every report of {@code ack.stream()} up to {@code ack.upTo()}: forget them. */
    void acknowledge(Ack ack) {
        if (!stream.equals(ack.stream())) {
            LOG.log(Level.WARNING, "ignoring an ack for stream {0}; this node''s stream is {1}",
                new Object[] {ack.stream(), stream});
            return;
        }
        List<Runnable> due = new ArrayList<>();
        synchronized (lock) {
            int acked = 0;
            while (acked < unacked.size() && unacked.get(acked).number() <= ack.upTo()) {
                unackedBytes -= unacked.get(acked).bytes();
                acked++;
            }
            unacked.subList(0, acked).clear();
            afterAcks.removeIf(waiting -> waiting.number() <= ack.upTo() && due.add(waiting.action()));
            lock.notifyAll();
        }
        for (Runnable action : due) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "an action after an ack failed: {0}", e.toString());
            }
        }
    }

    /**
     * Called after a Welcome: every unacknowledged report goes out again on {@code welcomed}, in order, then the
     * new ones.
     *
     * @param onSendFailed told when a send on {@code welcomed} fails, so the connection can be given up
     */
    void attach(WebSocket welcomed, Runnable onSendFailed) {
        synchronized (lock) {
            this.socket = welcomed;
            this.onSendFailed = onSendFailed;
            this.sentUpTo = unacked.isEmpty() ? nextNumber - 1 : unacked.get(0).number() - 1;
            lock.notifyAll();
        }
    }

    /** Called when {@code lost} closed or failed; sending pauses until the next {@link #attach}. */
    void detach(WebSocket lost) {
        synchronized (lock) {
            if (socket == lost) {
                socket = null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private Entry nextToSend() {
        if (socket == null || unacked.isEmpty()) {
            return null;
        }
        long index = sentUpTo + 1 - unacked.get(0).number();
        if (index < 0) {
            index = 0;
        }
        return index < unacked.size() ? unacked.get((int) index) : null;
    }

    private void sendForever() {
        try {
            while (!closed) {
                Entry next = null;
                String unnumbered;
                WebSocket target;
                Runnable failed;
                synchronized (lock) {
                    while ((unnumbered = socket == null ? null : heartbeat) == null
                        && (next = nextToSend()) == null) {
                        lock.wait();
                    }
                    heartbeat = null;
                    target = socket;
                    failed = onSendFailed;
                }
                if (unnumbered != null) {
                    sendUnnumbered(target, unnumbered);
                    continue;
                }
                if (send(target, next)) {
                    synchronized (lock) {
                        if (socket == target) {
                            sentUpTo = Math.max(sentUpTo, next.number());
                        }
                    }
                } else {
                    detach(target);
                    failed.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A lost unnumbered frame is not worth a reconnect: the next heartbeat replaces it. */
    private static void sendUnnumbered(WebSocket target, String frame) throws InterruptedException {
        try {
            target.sendText(frame, true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.FINE, "heartbeat not sent: {0}", e.getCause() != null ? e.getCause() : e);
        }
    }

    private static boolean send(WebSocket target, Entry entry) throws InterruptedException {
        try {
            target.sendText(entry.frame(), true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "sending report {0} failed, will resend after reconnect: {1}",
                new Object[] {entry.number(), e.getCause() != null ? e.getCause() : e});
            return false;
        }
    }
}
