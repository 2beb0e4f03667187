package dev.handoff.vmagent.acp;

/** The agent closed its stdout (usually: the process exited) before answering a request. */
public final class ConnectionClosedException extends Exception {

    public ConnectionClosedException(String message) {
        super(message);
    }
}
