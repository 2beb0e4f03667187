package dev.handoff.vmagent.gateway;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeProtocol;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one ordered queue of reports to the gateway. It outlives connections: reports made while disconnected
 * wait here and go out, in order, once the next connection is welcomed. A report leaves the queue only after
 * the WebSocket accepted it; a failed send is retried first on the next connection, so nothing is dropped or
 * reordered (a report can still be lost or sent twice when a connection dies around it; acknowledgements and
 * replay come later).
 *
 * <p>{@link WebSocket} allows one outstanding send at a time, so a single sender thread does all sends.
 */
public final class OutboundQueue implements ReportSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboundQueue.class.getName());
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Object lock = new Object();
    private final Deque<NodeMessage> pending = new ArrayDeque<>();
    private WebSocket socket;
    private Runnable onSendFailed = () -> { };
    private final Thread sender = new Thread(this::sendForever, "gateway-sender");
    private volatile boolean closed;

    public void start() {
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void report(NodeMessage report) {
        synchronized (lock) {
            pending.addLast(report);
            lock.notifyAll();
        }
    }

    /** Number of reports the WebSocket has not accepted yet, including one being sent. */
    public int pendingCount() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /**
     * Called after a Welcome: queued reports now go out on {@code welcomed}.
     *
     * @param onSendFailed told when a send on {@code welcomed} fails, so the connection can be given up
     */
    void attach(WebSocket welcomed, Runnable onSendFailed) {
        synchronized (lock) {
            this.socket = welcomed;
            this.onSendFailed = onSendFailed;
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
    }

    private void sendForever() {
        try {
            while (!closed) {
                NodeMessage next;
                WebSocket target;
                Runnable failed;
                synchronized (lock) {
                    while (pending.isEmpty() || socket == null) {
                        lock.wait();
                    }
                    next = pending.peekFirst();
                    target = socket;
                    failed = onSendFailed;
                }
                if (send(target, next)) {
                    synchronized (lock) {
                        pending.removeFirst();
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

    private static boolean send(WebSocket target, NodeMessage message) throws InterruptedException {
        try {
            target.sendText(NodeProtocol.encode(message), true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "sending {0} failed, will resend after reconnect: {1}",
                new Object[] {message.getClass().getSimpleName(), e.getCause() != null ? e.getCause() : e});
            return false;
        }
    }
}
