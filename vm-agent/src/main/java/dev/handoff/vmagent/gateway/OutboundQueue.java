package dev.handoff.vmagent.gateway;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeProtocol;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one ordered queue of reports to the gateway. It outlives connections: reports made while disconnected
 * wait here and go out, in order, once the next connection is welcomed. A report leaves the queue only after
 * the WebSocket accepted it; a failed send is retried first on the next connection, so nothing is dropped or
 * reordered (it may be sent twice if a connection dies mid-send; acknowledgements come later).
 *
 * <p>{@link WebSocket} allows one outstanding send at a time, so a single sender thread does all sends.
 */
public final class OutboundQueue implements ReportSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboundQueue.class.getName());
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final LinkedBlockingDeque<NodeMessage> pending = new LinkedBlockingDeque<>();
    private final Object socketLock = new Object();
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
        pending.addLast(report);
    }

    /** Number of reports not yet handed to a WebSocket. */
    public int pendingCount() {
        return pending.size();
    }

    /**
     * Called after a Welcome: queued reports now go out on {@code welcomed}.
     *
     * @param onSendFailed told when a send on {@code welcomed} fails, so the connection can be given up
     */
    void attach(WebSocket welcomed, Runnable onSendFailed) {
        synchronized (socketLock) {
            this.socket = welcomed;
            this.onSendFailed = onSendFailed;
            socketLock.notifyAll();
        }
    }

    /** Called when {@code lost} closed or failed; sending pauses until the next {@link #attach}. */
    void detach(WebSocket lost) {
        synchronized (socketLock) {
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
                NodeMessage next = pending.takeFirst();
                boolean sent = false;
                try {
                    sent = sendOnAttachedSocket(next);
                } finally {
                    if (!sent) {
                        pending.addFirst(next);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean sendOnAttachedSocket(NodeMessage message) throws InterruptedException {
        WebSocket target;
        Runnable failed;
        synchronized (socketLock) {
            while (socket == null) {
                socketLock.wait();
            }
            target = socket;
            failed = onSendFailed;
        }
        try {
            target.sendText(NodeProtocol.encode(message), true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "sending {0} failed, will resend after reconnect: {1}",
                new Object[] {message.getClass().getSimpleName(), e.getCause() != null ? e.getCause() : e});
            detach(target);
            failed.run();
            return false;
        }
    }
}
