package dev.handoff.vmagent.acp;

/** A JSON-RPC error: received from the agent in a response, or thrown by a handler to answer the agent with it. */
public final class JsonRpcException extends Exception {

    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INTERNAL_ERROR = -32603;

    private final int code;

    public JsonRpcException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
