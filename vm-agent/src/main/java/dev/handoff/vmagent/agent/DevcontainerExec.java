package dev.handoff.vmagent.agent;

import dev.handoff.vmagent.workspace.WorkspaceRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an agent inside its workspace's devcontainer: {@code docker exec -i -w <remoteWorkspaceFolder>
 * [-u <remoteUser>] -e NAME ... <containerId> <agent command>}. Each variable is passed by NAME only, so its value
 * (an API key) never appears on a command line: the docker client reads it from its own environment, which is the
 * agent's environment plus what the docker client itself needs. PATH is not passed: the container keeps its own,
 * where the devcontainer's Node.js is.
 */
final class DevcontainerExec {

    /** Variables the docker client needs from the vm-agent's environment to reach the engine. */
    static final List<String> DOCKER_CLIENT_ENV = List.of("PATH", "DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG",
        "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY");

    private DevcontainerExec() {
    }

    /** The docker exec command line; it holds variable names, never values. */
    static List<String> command(List<String> docker, WorkspaceRuntime runtime, Map<String, String> agentEnv,
                                List<String> agentCommand) {
        List<String> command = new ArrayList<>(docker);
        command.addAll(List.of("exec", "-i", "-w", runtime.remoteWorkspaceFolder()));
        if (runtime.remoteUser() != null && !runtime.remoteUser().isBlank()) {
            command.addAll(List.of("-u", runtime.remoteUser()));
        }
        for (String name : agentEnv.keySet()) {
            if (!"PATH".equals(name)) {
                command.addAll(List.of("-e", name));
            }
        }
        command.add(runtime.containerId());
        command.addAll(agentCommand);
        return command;
    }

    /** The docker client's environment: the agent's variables (read by {@code -e NAME}) and the client's own. */
    static Map<String, String> clientEnvironment(Map<String, String> agentEnv, Map<String, String> parentEnv) {
        Map<String, String> env = new LinkedHashMap<>(agentEnv);
        for (String name : DOCKER_CLIENT_ENV) {
            if (parentEnv.containsKey(name)) {
                env.put(name, parentEnv.get(name));
            }
        }
        return env;
    }
}
