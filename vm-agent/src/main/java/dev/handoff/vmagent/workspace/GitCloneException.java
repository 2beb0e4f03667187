package dev.handoff.vmagent.workspace;

/** git clone did not produce a work tree; the message says why (git's last stderr lines, or the timeout). */
public final class GitCloneException extends Exception {

    public GitCloneException(String message) {
        super(message);
    }
}
