package dev.handoff.chat.rest;

/** A request the API refuses, with the HTTP status and the field at fault (null when not one field). */
public class ApiException extends RuntimeException {

    private final int status;
    private final String field;

    public ApiException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
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
}
