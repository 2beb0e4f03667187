package dev.handoff.provisioner.provider.hetzner;

/** Hetzner answered a request with an error ({@code {"error": {"code", "message"}}}), or could not be reached. */
public class HetznerApiException extends RuntimeException {

    private final int status;
    private final String code;

    public HetznerApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public HetznerApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.code = "unreachable";
    }

    /** The HTTP status, 0 when no answer came. */
    public int status() {
        return status;
    }

    /** Hetzner's error code ({@code placement_error}, {@code rate_limit_exceeded}, ...); {@code unknown} if none. */
    public String code() {
        return code;
    }

    /** The chosen location cannot hold the server now; another location may. */
    public boolean isPlacementFailure() {
        return status == 412 || "placement_error".equals(code) || "resource_unavailable".equals(code);
    }
}
