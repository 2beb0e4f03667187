package dev.handoff.vmagent.workspace;

/**
 * git clone did not produce a work tree. The message is what the user is told (generic for connection failures,
 * never git's own words, so a clone cannot be used to probe which ports answer); the classification says whether
 * trying again may help.
 */
public final class GitCloneException extends Exception {

    private final CloneFailures.Classification classification;

    public GitCloneException(String message, CloneFailures.Classification classification) {
        super(message);
        this.classification = classification;
    }

    public CloneFailures.Classification classification() {
        return classification;
    }
}
