package dev.handoff.contracts.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.handoff.contracts.Json;

/** Encodes and decodes node protocol frames. */
public final class NodeProtocol {

    /** The WebSocket path nodes dial on the gateway. */
    public static final String PATH = "/nodes/connect";

    /** Protocol revision, sent by nodes in their user agent. */
    public static final int VERSION = 1;

    /**
     * The frame limit a node assumes when the Welcome names none: what gateways before {@code maxFrameBytes}
     * read (Vert.x's default WebSocket message size).
     */
    public static final int DEFAULT_MAX_FRAME_BYTES = 256 * 1024;

    private NodeProtocol() {
    }

    public static String encode(NodeMessage message) {
        try {
            return Json.MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** @throws IllegalArgumentException when the frame is not a known node message */
    public static NodeMessage decode(String frame) {
        try {
            return Json.MAPPER.readValue(frame, NodeMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a node message: " + e.getOriginalMessage(), e);
        }
    }
}
