package dev.handoff.cli;

/** A failure the user is told about in one line (no stack trace); exit code 1. */
class CliException extends RuntimeException {

    CliException(String message) {
        super(message);
    }
}
