package dev.handoff.vmagent.agent;

import java.util.List;
import java.util.Map;

/**
 * How to run one agent: its command line, environment values set literally, and names of variables copied from
 * the vm-agent's own environment. {@link #toString()} shows variable names only: values may be keys.
 */
public record AgentDefinition(List<String> command, Map<String, String> env, List<String> passEnv) {

    public AgentDefinition {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        passEnv = List.copyOf(passEnv);
    }

    @Override
    public String toString() {
        return "AgentDefinition[command=" + command + ", env=" + env.keySet() + ", passEnv=" + passEnv + "]";
    }
}
