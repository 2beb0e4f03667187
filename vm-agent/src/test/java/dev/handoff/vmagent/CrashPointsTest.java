package dev.handoff.vmagent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CrashPointsTest {

    @Test
    void theVariableAndThePropertyBothListPoints() {
        assertThat(CrashPoints.parse(null, null)).isEmpty();
        assertThat(CrashPoints.parse("prompt-written, ", null)).containsExactly("prompt-written");
        assertThat(CrashPoints.parse(null, "prompt-written")).containsExactly("prompt-written");
    }

    @Test
    void unarmedReachingAPointReturns() {
        assertThat(CrashPoints.armed()).isEmpty();
        CrashPoints.reached("prompt-written");
    }
}
