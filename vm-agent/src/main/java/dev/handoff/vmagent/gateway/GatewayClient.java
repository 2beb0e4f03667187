package dev.handoff.vmagent.gateway;

import dev.handoff.contracts.node.NodeMessage;
import dev.handoff.contracts.node.NodeMessage.Hello;
import dev.handoff.contracts.node.NodeMessage.Refused;
import dev.handoff.contracts.node.NodeMessage.Welcome;
import dev.handoff.contracts.node.NodeProtocol;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's connection to the gateway: dials out, says Hello, passes commands to a {@link CommandHandler} and
 * lets the {@link OutboundQueue} send reports while welcomed and passes it the gateway's acks. Lost connections
 * are redialled forever with {@link ReconnectBackoff}; only a Refused ends the loop, since a rejected credential
 * never becomes valid.
 */
public final class GatewayClient {

    /** Process exit code when the gateway refuses this node. */
    public static final int EXIT_REFUSED = 3;
    /** Process exit code after {@link #stop()}. */
    public static final int EXIT_STOPPED = 0;

    private static final Logger LOG = Logger.getLogger(GatewayClient.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The WebSocket close code for a frame over the receiver's limit. */
    static final int MESSAGE_TOO_BIG = 1009;

    private enum Outcome { CONNECT_FAILED, LOST_BEFORE_WELCOME, LOST_AFTER_WELCOME, REFUSED, STOPPED }

    private final URI url;
    private final NodeIdentity identity;
    private final OutboundQueue outbound;
    private final CommandHandler commands;
    private final ReconnectBackoff backoff;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final NodeCredentials credentials;
    private volatile String reconnectSecret;
    private volatile ConnectionListener current;

    /** A client that keeps its reconnect secret in memory only: a restarted process cannot rejoin. */
    public GatewayClient(URI url, NodeIdentity identity, OutboundQueue outbound, CommandHandler commands,
                         ReconnectBackoff backoff) {
        this(url, identity, outbound, commands, backoff, null);
    }

    /**
     * @param credentials where the reconnect secret is kept across restarts; the first hello uses the kept secret
     *                    when there is one, the one-time token otherwise
     */
    public GatewayClient(URI url, NodeIdentity identity, OutboundQueue outbound, CommandHandler commands,
                         ReconnectBackoff backoff, NodeCredentials credentials) {
        this.url = url;
        this.identity = identity;
        this.outbound = outbound;
        this.commands = commands;
        this.backoff = backoff;
        this.credentials = credentials;
        if (credentials != null) {
            credentials.reconnectSecret().ifPresent(kept -> {
                LOG.log(Level.INFO, "rejoining as node {0} with the reconnect secret kept in {1}",
                    new Object[] {identity.nodeId(), credentials.file()});
                reconnectSecret = kept;
            });
        }
    }

    /**
     * Stays connected until refused or stopped.
     *
     * @return {@link #EXIT_REFUSED} when the gateway refused this node, {@link #EXIT_STOPPED} after {@link #stop()}
     */
    public int runUntilRefusedOrStopped() {
        while (!isStopped()) {
            Outcome outcome = connectOnce();
            if (outcome == Outcome.REFUSED) {
                return EXIT_REFUSED;
            }
            if (outcome == Outcome.STOPPED || isStopped()) {
                break;
            }
            if (outcome == Outcome.LOST_AFTER_WELCOME) {
                backoff.reset();
            }
            Duration delay = backoff.nextDelay();
            LOG.log(Level.INFO, "reconnecting to {0} in {1} ms", new Object[] {url, delay.toMillis()});
            try {
                stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return EXIT_STOPPED;
    }

    /** Ends {@link #runUntilRefusedOrStopped()} and drops the current connection. */
    public void stop() {
        stopSignal.countDown();
        ConnectionListener connection = current;
        if (connection != null) {
            connection.ended.complete(Outcome.STOPPED);
        }
    }

    private boolean isStopped() {
        return stopSignal.getCount() == 0;
    }

    private Outcome connectOnce() {
        var connection = new ConnectionListener();
        current = connection;
        WebSocket socket;
        try {
            socket = http.newWebSocketBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .header("User-Agent", "handoff-vm-agent/" + identity.agentVersion()
                    + " node-protocol/" + NodeProtocol.VERSION)
                .buildAsync(url, connection)
                .get(CONNECT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "cannot connect to {0}: {1}", new Object[] {url, rootMessage(e)});
            return Outcome.CONNECT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.CONNECT_FAILED;
        }
        try {
            if (isStopped()) {
                return Outcome.LOST_BEFORE_WELCOME;
            }
            Hello hello = reconnectSecret == null
                ? identity.helloWithToken()
                : identity.helloWithReconnectSecret(reconnectSecret);
            LOG.log(Level.INFO, "connected to {0}, sending hello for node {1} with {2}",
                new Object[] {url, identity.nodeId(), reconnectSecret == null ? "token" : "reconnect secret"});
            socket.sendText(NodeProtocol.encode(hello), true)
                .whenComplete((sent, failure) -> connection.helloSent.complete(null))
                .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return connection.ended.get();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "connection to {0} failed: {1}", new Object[] {url, rootMessage(e)});
            return connection.welcomed ? Outcome.LOST_AFTER_WELCOME : Outcome.LOST_BEFORE_WELCOME;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.LOST_BEFORE_WELCOME;
        } finally {
            outbound.detach(socket);
            socket.abort();
            current = null;
        }
    }

    /**
     * Keeps the new secret (on disk first, so the restarted process has it) before anything is sent on this
     * connection: the gateway takes the node's first frame as proof the new secret is kept and then stops accepting
     * the one before it.
     */
    private void onWelcome(WebSocket socket, Welcome welcome, CompletableFuture<Outcome> ended,
                           CompletableFuture<Void> helloSent) {
        if (credentials != null && welcome.reconnectSecret() != null) {
            try {
                credentials.keep(welcome.reconnectSecret());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.SEVERE, "cannot keep the reconnect secret in {0} ({1}); a restarted vm-agent will not "
                    + "be able to rejoin", new Object[] {credentials.file(), e.getClass().getSimpleName()});
            }
        }
        reconnectSecret = welcome.reconnectSecret();
        LOG.log(Level.INFO, "welcomed by the gateway as node {0}; {1} unacknowledged reports to send",
            new Object[] {welcome.nodeId(), outbound.pendingCount()});
        // The Welcome can be read before the hello's send has completed (a fast gateway, a loaded machine): the
        // socket takes one send at a time ("Send pending" otherwise), so the reports wait for the hello to be out.
        helloSent.thenRun(() -> outbound.attach(socket, () -> ended.complete(Outcome.LOST_AFTER_WELCOME),
            welcome.maxFrameBytes(), welcome.silentAfterSeconds()));
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** Listens to one connection; {@link #ended} completes when it is over. */
    private final class ConnectionListener implements WebSocket.Listener {
        final CompletableFuture<Outcome> ended = new CompletableFuture<>();
        /** Completes once the hello's send finished, either way: only then may reports use the socket. */
        final CompletableFuture<Void> helloSent = new CompletableFuture<>();
        volatile boolean welcomed;
        private final StringBuilder frame = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                String text = frame.toString();
                frame.setLength(0);
                onFrame(socket, text);
            }
            socket.request(1);
            return null;
        }

        private void onFrame(WebSocket socket, String text) {
            NodeMessage message;
            try {
                message = NodeProtocol.decode(text);
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "ignoring frame from the gateway: {0}", e.getMessage());
                return;
            }
            if (message instanceof Welcome welcome) {
                welcomed = true;
                onWelcome(socket, welcome, ended, helloSent);
            } else if (message instanceof NodeMessage.Ack ack) {
                outbound.acknowledge(ack);
            } else if (message instanceof NodeMessage.ReportRefused refused) {
                LOG.log(Level.WARNING, "the gateway refused report {0}: {1}",
                    new Object[] {refused.number(), refused.reason()});
            } else if (message instanceof Refused refused) {
                LOG.log(Level.SEVERE, "the gateway refused node {0}: {1}",
                    new Object[] {identity.nodeId(), refused.reason()});
                ended.complete(Outcome.REFUSED);
            } else {
                commands.handle(message);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            outbound.detach(socket);
            LOG.log(Level.INFO, "the gateway closed the connection: {0} {1}", new Object[] {statusCode, reason});
            if (statusCode == MESSAGE_TOO_BIG) {
                outbound.frameTooBig();
            }
            ended.complete(welcomed ? Outcome.LOST_AFTER_WELCOME : Outcome.LOST_BEFORE_WELCOME);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            outbound.detach(socket);
            LOG.log(Level.WARNING, "connection to the gateway failed: {0}", rootMessage(error));
            ended.complete(welcomed ? Outcome.LOST_AFTER_WELCOME : Outcome.LOST_BEFORE_WELCOME);
        }
    }
}
