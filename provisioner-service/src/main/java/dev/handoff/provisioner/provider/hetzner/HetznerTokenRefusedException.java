package dev.handoff.provisioner.provider.hetzner;

/** Hetzner answered 401: the token is wrong or revoked. Never retried; the user has to fix the token. */
public class HetznerTokenRefusedException extends HetznerApiException {

    public HetznerTokenRefusedException(String code) {
        super(401, code, "the Hetzner API token was refused; check it in your settings");
    }
}
