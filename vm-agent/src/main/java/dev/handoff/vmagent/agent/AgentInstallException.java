package dev.handoff.vmagent.agent;

import java.io.IOException;

/** An agent's package could not be installed into the agent cache; the message says which and why. */
public final class AgentInstallException extends IOException {

    AgentInstallException(String message) {
        super(message);
    }
}
