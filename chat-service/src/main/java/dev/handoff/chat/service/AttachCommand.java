package dev.handoff.chat.service;

import dev.handoff.chat.client.AttachTicket;

import java.util.regex.Pattern;

/**
 * The one command a user runs on their own Linux or macOS machine (with Java 17+ and curl) to attach it: download
 * the vm-agent and the agents file from the gateway, check the vm-agent's SHA-256 against the one the attach answer
 * carries (with {@code sha256sum}, or {@code shasum -a 256} where there is none, as on macOS), and only then run it
 * with the node's id and one-time token in its environment (not on its command line). Its work directory is
 * {@code ~/.handoff-node}.
 */
public final class AttachCommand {

    /** The name the vm-agent is saved as on the user's machine. */
    public static final String JAR = "handoff-vm-agent.jar";

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * What the user gets: the whole command, and its last part alone (the check and the java line) for a machine
     * that has the files.
     */
    public record Commands(String command, String javaCommand) {
    }

    private AttachCommand() {
    }

    /**
     * @param vmAgentSha256 the SHA-256 of the jar the gateway serves, 64 lower-case hex digits
     * @throws IllegalArgumentException when {@code vmAgentSha256} is not that (it goes into a shell command)
     */
    public static Commands of(String gatewayPublicUrl, AttachTicket ticket, String vmAgentSha256) {
        if (vmAgentSha256 == null || !SHA256_HEX.matcher(vmAgentSha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + vmAgentSha256);
        }
        String base = gatewayPublicUrl.replaceAll("/+$", "");
        String ws = base.replaceFirst("^http", "ws") + "/nodes/connect";
        String check = "echo '" + vmAgentSha256 + "  " + JAR + "' | $(command -v sha256sum || echo shasum -a 256) -c -";
        String java = check + " && HANDOFF_GATEWAY_URL=" + ws + " HANDOFF_NODE_ID=" + ticket.nodeId()
            + " HANDOFF_NODE_TOKEN=" + ticket.token() + " HANDOFF_WORK_DIR=\"$HOME/.handoff-node\""
            + " HANDOFF_AGENTS_FILE=handoff-agents.json java -jar " + JAR;
        String command = "curl -fsSL " + base + "/nodes/bootstrap/vm-agent.jar -o " + JAR
            + " && curl -fsSL " + base + "/nodes/bootstrap/agents.json -o handoff-agents.json"
            + " && " + java;
        return new Commands(command, java);
    }
}
