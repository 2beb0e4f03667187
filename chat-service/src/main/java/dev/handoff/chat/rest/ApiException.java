package dev.handoff.chat.rest;

/** A request the API refuses, with the HTTP status and the field at fault (null when not one field). */
public class ApiException extends RuntimeException {

    private final int status;
    private final String field;
    private final int retryAfterSeconds;

    public ApiException(int status, String field, String message) {
        this(status, field, message, 0);
    }

    private ApiException(int status, String field, String message, int retryAfterSeconds) {
        super(message);
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429 or 503 answered with {@code Retry-After: seconds}. */
    public static ApiException retryLater(int status, String message, int seconds) {
        return new ApiException(status, null, message, Math.max(1, seconds));
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(400, field, message);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, null, what);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, null, message);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    /** Seconds for the Retry-After header; 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
