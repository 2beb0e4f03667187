package dev.handoff.chat.service;

import dev.handoff.chat.client.AttachTicket;

/**
 * The one command a user runs on their own Linux or macOS machine (with Java 17+ and curl) to attach it: download
 * the vm-agent and the agents file from the gateway, then run the vm-agent with the node's id and one-time token
 * in its environment (not on its command line). Its work directory is {@code ~/.handoff-node}.
 */
public final class AttachCommand {

    /** What the user gets: the whole command, and its last line alone for a machine that has the files. */
    public record Commands(String command, String javaCommand) {
    }

    private AttachCommand() {
    }

    public static Commands of(String gatewayPublicUrl, AttachTicket ticket) {
        String base = gatewayPublicUrl.replaceAll("/+$", "");
        String ws = base.replaceFirst("^http", "ws") + "/nodes/connect";
        String java = "HANDOFF_GATEWAY_URL=" + ws + " HANDOFF_NODE_ID=" + ticket.nodeId()
            + " HANDOFF_NODE_TOKEN=" + ticket.token() + " HANDOFF_WORK_DIR=\"$HOME/.handoff-node\""
            + " HANDOFF_AGENTS_FILE=handoff-agents.json java -jar handoff-vm-agent.jar";
        String command = "curl -fsSL " + base + "/nodes/bootstrap/vm-agent.jar -o handoff-vm-agent.jar"
            + " && curl -fsSL " + base + "/nodes/bootstrap/agents.json -o handoff-agents.json"
            + " && " + java;
        return new Commands(command, java);
    }
}
