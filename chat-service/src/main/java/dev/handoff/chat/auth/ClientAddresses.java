package dev.handoff.chat.auth;

import dev.handoff.contracts.net.Cidr;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address for throttling: the connection's address, unless that is a trusted proxy
 * ({@code handoff.auth.sign-in.trusted-proxies}); then {@code X-Forwarded-For} read from the right, skipping trusted
 * proxies, so the first address no trusted proxy vouches for is the client (a client cannot prepend its way out).
 */
@ApplicationScoped
public class ClientAddresses {

    @Inject
    SignInConfig config;

    private List<Cidr> trusted;

    @PostConstruct
    void init() {
        List<Cidr> networks = new ArrayList<>();
        for (String entry : config.trustedProxies().orElse(List.of())) {
            try {
                networks.add(Cidr.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("handoff.auth.sign-in.trusted-proxies: " + e.getMessage(), e);
            }
        }
        trusted = List.copyOf(networks);
    }

    /**
     * @param remote        the connection's peer address (an IP literal)
     * @param forwardedFor  the {@code X-Forwarded-For} header, or null
     */
    public String clientOf(String remote, String forwardedFor) {
        if (forwardedFor == null || forwardedFor.isBlank() || !isTrusted(remote)) {
            return remote;
        }
        String[] hops = forwardedFor.split(",");
        String client = remote;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (Cidr.literal(hop) == null) {
                // A hop that is not an address: stop at the last one a trusted proxy vouched for.
                return client;
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    private boolean isTrusted(String address) {
        byte[] bytes = address == null ? null : Cidr.literal(address);
        if (bytes == null || trusted.isEmpty()) {
            return false;
        }
        try {
            InetAddress parsed = InetAddress.getByAddress(bytes);
            return trusted.stream().anyMatch(network -> network.contains(parsed));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
