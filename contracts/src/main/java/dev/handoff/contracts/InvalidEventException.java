package dev.handoff.contracts;

/** A record that is not a valid Handoff event: unparseable, unknown type, unsupported version or missing fields. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
