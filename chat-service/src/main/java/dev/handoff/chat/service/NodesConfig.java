package dev.handoff.chat.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What users need to attach their own machines. */
@ConfigMapping(prefix = "handoff.nodes")
public interface NodesConfig {

    /**
     * The gateway's address as users' machines reach it (http or https; the WebSocket URL is derived from it):
     * the vm-agent is downloaded from {@code <url>/nodes/bootstrap/vm-agent.jar} and dials
     * {@code ws(s)://<host>/nodes/connect}.
     */
    @WithDefault("http://127.0.0.1:8083")
    String gatewayPublicUrl();
}
