package dev.handoff.provisioner.provider.hetzner;

/** An action ended in {@code error}, or did not end within the action timeout. */
public class HetznerActionException extends HetznerApiException {

    private final long actionId;

    public HetznerActionException(long actionId, String code, String message) {
        super(0, code, message);
        this.actionId = actionId;
    }

    public long actionId() {
        return actionId;
    }
}
