package dev.handoff.vmagent.acp;

/** An ACP call did not succeed: the agent answered an error, did not answer in time, or went away. */
public final class AcpException extends Exception {

    public AcpException(String message, Throwable cause) {
        super(message, cause);
    }
}
