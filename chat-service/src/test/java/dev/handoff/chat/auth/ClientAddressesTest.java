package dev.handoff.chat.auth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressesTest {

    private static ClientAddresses trusting(String... proxies) {
        ClientAddresses addresses = new ClientAddresses();
        addresses.config = new SignInConfig() {
            @Override
            public Hashing hashing() {
                return null;
            }

            @Override
            public Throttle throttle() {
                return null;
            }

            @Override
            public Optional<List<String>> trustedProxies() {
                return proxies.length == 0 ? Optional.empty() : Optional.of(List.of(proxies));
            }
        };
        addresses.init();
        return addresses;
    }

    @Test
    void forwardedForIsIgnoredUnlessTheConnectionComesFromATrustedProxy() {
        assertThat(trusting().clientOf("127.0.0.1", "203.0.113.9")).isEqualTo("127.0.0.1");
        assertThat(trusting("10.0.0.0/8").clientOf("192.0.2.1", "203.0.113.9")).isEqualTo("192.0.2.1");
    }

    @Test
    void theClientIsTheRightmostAddressNoTrustedProxyVouchesFor() {
        ClientAddresses addresses = trusting("10.0.0.0/8", "127.0.0.1");
        assertThat(addresses.clientOf("127.0.0.1", "203.0.113.9")).isEqualTo("203.0.113.9");
        // The client wrote the first entry itself; the ingress (10.1.1.1) appended what it saw.
        assertThat(addresses.clientOf("10.1.1.1", "1.2.3.4, 198.51.100.7, 10.2.2.2")).isEqualTo("198.51.100.7");
        assertThat(addresses.clientOf("10.1.1.1", "10.3.3.3, 10.2.2.2")).isEqualTo("10.3.3.3");
        assertThat(addresses.clientOf("10.1.1.1", "garbage, 10.2.2.2")).isEqualTo("10.2.2.2");
        assertThat(addresses.clientOf("10.1.1.1", " ")).isEqualTo("10.1.1.1");
    }
}
