package dev.handoff.provisioner.provider.hetzner;

import java.util.List;

/** No location of the fallback list could place the server. */
public class HetznerNoCapacityException extends HetznerApiException {

    private final List<String> locationsTried;

    public HetznerNoCapacityException(String serverType, List<String> locationsTried, HetznerApiException last) {
        super(last.status(), last.code(), "no Hetzner location could place a " + serverType + " server; tried "
            + String.join(", ", locationsTried) + " (last answer: " + last.getMessage() + ")");
        this.locationsTried = List.copyOf(locationsTried);
    }

    public List<String> locationsTried() {
        return locationsTried;
    }
}
