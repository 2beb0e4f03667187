package dev.handoff.vmagent.gateway;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.Ack;
import dev.handoff.contracts.node.NodeMessage.AgentOutputReport;
import dev.handoff.contracts.node.NodeProtocol;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * <p>Every report is fitted under the gateway's frame limit (from the Welcome; lower once the gateway closed with
 * 1009) by {@link ReportFitter}, so one oversized report never closes the connection again and again.
 *
 * <p>{@link WebSocket} allows one outstanding send at a time, so a single sender thread does all sends.
 */
public final class OutboundQueue implements ReportSink, AutoCloseable {

    /** Default bound of the unacknowledged reports' encoded size. */
    public static final long DEFAULT_MAX_UNACKED_BYTES = 16L * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(OutboundQueue.class.getName());
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A numbered report. {@code report} is what was made (kept, to fit again under a smaller limit); {@code frame}
     * what goes out. While {@code run} is set the entry is text chunks not sent yet that later chunks may join
     * ({@link TextRun}), {@code bytes} an estimate; it is sealed into its report and frame when it is sent.
     */
    private static final class Entry {
        private final long number;
        private NodeMessage report;
        private String frame;
        private int bytes;
        private TextRun run;

        Entry(long number, NodeMessage report, String frame, int bytes) {
            this.number = number;
            this.report = report;
            this.frame = frame;
            this.bytes = bytes;
        }

        long number() {
            return number;
        }

        NodeMessage report() {
            return report;
        }

        String frame() {
            return frame;
        }

        int bytes() {
            return bytes;
        }

        boolean open() {
            return run != null;
        }
    }

    /**
     * Text chunks go out at once while fewer than this many reports wait for their ack; beyond, they wait and
     * later chunks of the same message join them, so a fast agent's stream costs one report per acknowledgement
     * round instead of one per chunk (Nagle's algorithm for agent text). Everything after a waiting chunk waits
     * with it (the order is the report numbers').
     */
    static final int TEXT_SENT_UNACKED = 2;

    /** The unsent text run of each task that the task's next chunk may join. */
    private final java.util.Map<String, Entry> openRuns = new java.util.HashMap<>();

    /** The smallest frame limit a 1009 close can teach: below it a report is only its note. */
    static final int MIN_FRAME_BYTES = 16 * 1024;

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
    /** The frame limit reports are fitted under: the Welcome's, or lower after the gateway closed with 1009. */
    private int maxFrameBytes = NodeProtocol.DEFAULT_MAX_FRAME_BYTES;
    /** What a 1009 close taught: the gateway reads less than it said (a proxy in between, say). */
    private int learntMaxFrameBytes = Integer.MAX_VALUE;
    /** How long the gateway lets this node be silent before it closes the connection: the last Welcome's, if it said. */
    private volatile Duration gatewaySilenceLimit;
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
            int encoded = report instanceof AgentOutputReport ? NodeProtocol.encode(report).length() : 0;
            if (report instanceof AgentOutputReport) {
                awaitRoomFor(Math.min(encoded, maxFrameBytes));
            }
            if (joinedRun(report)) {
                lock.notifyAll();
                return;
            }
            Entry entry;
            if (TextRun.isTextChunk(report)) {
                entry = new Entry(nextNumber++, null, null, encoded);
                entry.run = new TextRun((AgentOutputReport) report);
                openRuns.put(entry.run.taskId(), entry);
            } else {
                // nothing sent later may join a run made before this report: each task's order stays as made
                openRuns.clear();
                entry = fitted(nextNumber++, report);
            }
            unacked.add(entry);
            unackedBytes += entry.bytes();
            lock.notifyAll();
        }
    }

    /** Whether {@code report} joined its task's unsent text run (holding {@link #lock}). */
    private boolean joinedRun(NodeMessage report) {
        if (!TextRun.isTextChunk(report)) {
            return false;
        }
        AgentOutputReport chunk = (AgentOutputReport) report;
        Entry open = openRuns.get(chunk.taskId());
        if (open == null || !open.run.continuedBy(chunk, maxFrameBytes / 8)) {
            return false;
        }
        int before = open.run.length();
        open.run.add(chunk);
        open.bytes += open.run.length() - before;
        unackedBytes += open.run.length() - before;
        return true;
    }

    /** Makes an open entry its report and frame, so nothing joins it any more (holding {@link #lock}). */
    private void seal(Entry entry) {
        if (!entry.open()) {
            return;
        }
        openRuns.remove(entry.run.taskId(), entry);
        Entry fitted = fitted(entry.number(), entry.run.report());
        entry.run = null;
        entry.report = fitted.report;
        entry.frame = fitted.frame;
        unackedBytes += fitted.bytes - entry.bytes;
        entry.bytes = fitted.bytes;
    }

    /** The entry for {@code report} as number {@code number}, shortened to fit {@link #maxFrameBytes} if need be. */
    private Entry fitted(long number, NodeMessage report) {
        NodeMessage fit = ReportFitter.fit(stream, number, report, maxFrameBytes);
        String frame = ReportFitter.frame(stream, number, fit);
        int bytes = frame.getBytes(StandardCharsets.UTF_8).length;
        if (fit != report) {
            LOG.log(Level.WARNING, "report {0} ({1}) shortened to {2} bytes to fit the gateway''s frame limit of {3}"
                + " bytes", new Object[] {number, report.getClass().getSimpleName(), bytes, maxFrameBytes});
        }
        if (bytes > maxFrameBytes) {
            LOG.log(Level.SEVERE, "report {0} ({1}) is {2} bytes and cannot be shortened under the frame limit of {3}"
                + " bytes", new Object[] {number, report.getClass().getSimpleName(), bytes, maxFrameBytes});
        }
        return new Entry(number, report, frame, bytes);
    }

    /**
     * The gateway closed the connection with 1009 (message too big): it reads less than this queue fitted to. The
     * limit drops to half the largest report waiting (not below {@link #MIN_FRAME_BYTES}) for the rest of this
     * process, and the next {@link #attach} fits the waiting reports under it: never the same oversized frame again.
     */
    void frameTooBig() {
        synchronized (lock) {
            int largest = unacked.stream().mapToInt(Entry::bytes).max().orElse(maxFrameBytes);
            learntMaxFrameBytes = Math.max(MIN_FRAME_BYTES, Math.min(maxFrameBytes, largest) / 2);
            LOG.log(Level.WARNING, "the gateway closed the connection as a frame was too big; reports are fitted"
                + " under {0} bytes from now on", learntMaxFrameBytes);
        }
    }

    /** How long the gateway of the last Welcome lets the node be silent, when it said. */
    public Optional<Duration> gatewaySilenceLimit() {
        return Optional.ofNullable(gatewaySilenceLimit);
    }

    /** The frame limit reports are fitted under now. */
    public int maxFrameBytes() {
        synchronized (lock) {
            return maxFrameBytes;
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
        attach(welcomed, onSendFailed, null);
    }

    /**
     * As {@link #attach(WebSocket, Runnable)}, with the frame limit the Welcome named (null: the gateway named none,
     * {@link NodeProtocol#DEFAULT_MAX_FRAME_BYTES}). Waiting reports over the limit are fitted under it first.
     */
    void attach(WebSocket welcomed, Runnable onSendFailed, Integer welcomeMaxFrameBytes) {
        attach(welcomed, onSendFailed, welcomeMaxFrameBytes, null);
    }

    /**
     * As {@link #attach(WebSocket, Runnable, Integer)}, with the silence limit the Welcome named (null: none), which
     * {@link #gatewaySilenceLimit} tells the heartbeat.
     */
    void attach(WebSocket welcomed, Runnable onSendFailed, Integer welcomeMaxFrameBytes,
                Integer welcomeSilentAfterSeconds) {
        gatewaySilenceLimit = welcomeSilentAfterSeconds != null && welcomeSilentAfterSeconds > 0
            ? Duration.ofSeconds(welcomeSilentAfterSeconds) : null;
        synchronized (lock) {
            int told = welcomeMaxFrameBytes != null && welcomeMaxFrameBytes > 0 ? welcomeMaxFrameBytes
                : NodeProtocol.DEFAULT_MAX_FRAME_BYTES;
            this.maxFrameBytes = Math.min(told, learntMaxFrameBytes);
            for (int i = 0; i < unacked.size(); i++) {
                Entry entry = unacked.get(i);
                if (!entry.open() && entry.bytes() > maxFrameBytes) {
                    Entry refit = fitted(entry.number(), entry.report());
                    unackedBytes += refit.bytes() - entry.bytes();
                    unacked.set(i, refit);
                }
            }
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
        if (index >= unacked.size()) {
            return null;
        }
        Entry next = unacked.get((int) index);
        // index = how many reports were sent and wait for their ack
        return next.open() && index >= TEXT_SENT_UNACKED ? null : next;
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
                    if (next != null) {
                        seal(next);
                    }
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
