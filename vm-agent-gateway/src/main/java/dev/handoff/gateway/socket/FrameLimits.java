package dev.handoff.gateway.socket;

import dev.handoff.gateway.config.GatewayConfig;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The node WebSocket's frame limits, set explicitly from {@code handoff.gateway.max-frame-bytes} (Vert.x would
 * otherwise allow 64 KiB frames and 256 KiB messages, and nodes could not know it). The same number goes to the
 * node in its Welcome.
 */
@ApplicationScoped
public class FrameLimits implements HttpServerOptionsCustomizer {

    @Inject
    GatewayConfig config;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setMaxWebSocketFrameSize(config.maxFrameBytes());
        options.setMaxWebSocketMessageSize(config.maxFrameBytes());
    }
}
