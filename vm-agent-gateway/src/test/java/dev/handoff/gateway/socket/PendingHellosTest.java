package dev.handoff.gateway.socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Plain JUnit: connections waiting for their hello are capped per address, each address on its own. */
class PendingHellosTest {

    @Test
    void anAddressAtTheCapIsRefusedUntilOneOfItsConnectionsSpeaksOrCloses() {
        PendingHellos pending = new PendingHellos(2);

        assertThat(pending.tryOpen("10.0.0.1")).isTrue();
        assertThat(pending.tryOpen("10.0.0.1")).isTrue();
        assertThat(pending.tryOpen("10.0.0.1")).as("the third at once").isFalse();
        assertThat(pending.tryOpen("10.0.0.2")).as("another address").isTrue();

        pending.release("10.0.0.1");
        assertThat(pending.tryOpen("10.0.0.1")).isTrue();
        assertThat(pending.pending("10.0.0.1")).isEqualTo(2);

        pending.release("10.0.0.2");
        assertThat(pending.pending("10.0.0.2")).isZero();
    }
}
