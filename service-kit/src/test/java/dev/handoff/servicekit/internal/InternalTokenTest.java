package dev.handoff.servicekit.internal;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class InternalTokenTest {

    @Test
    void onlyTheConfiguredTokenAsBearerAuthorizes() {
        Optional<String> configured = Optional.of("s3cret-token");

        assertThat(InternalToken.authorizes("Bearer s3cret-token", configured)).isTrue();
        assertThat(InternalToken.authorizes("bearer s3cret-token", configured)).isTrue();
        assertThat(InternalToken.authorizes(InternalToken.bearer("s3cret-token"), configured)).isTrue();
        assertThat(InternalToken.authorizes("Bearer s3cret-tokem", configured)).isFalse();
        assertThat(InternalToken.authorizes("s3cret-token", configured)).isFalse();
        assertThat(InternalToken.authorizes(null, configured)).isFalse();
    }

    @Test
    void nothingAuthorizesWhenNoTokenIsConfigured() {
        assertThat(InternalToken.authorizes("Bearer ", Optional.empty())).isFalse();
        assertThat(InternalToken.authorizes("Bearer ", Optional.of(""))).isFalse();
        assertThat(InternalToken.authorizes("Bearer x", Optional.empty())).isFalse();
    }
}
