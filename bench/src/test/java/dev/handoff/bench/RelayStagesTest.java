package dev.handoff.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.bench.relay.ReportTap;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayStagesTest {

    private static final long MS = 1_000_000;

    @Test
    void eachChunkIsTimedByTheEventThatHoldsItWhenTheNodeJoinedSeveral() {
        // chunks 1 and 2 went out joined as one event (sequence 2); chunk 3 alone; chunk 4 never arrived
        long[] sentAt = {0, 1 * MS, 2 * MS, 40 * MS, 41 * MS};
        long[] arrivedAt = {0, 30 * MS, 30 * MS, 70 * MS, 0};
        long[] storedAt = {0, 20, 20, 60, 0};
        List<ReportTap.Output> outputs = List.of(new ReportTap.Output(3, 45, 50), new ReportTap.Output(2, 5, 9));

        RelayStages stages = RelayStages.of(sentAt, arrivedAt, storedAt, outputs, 0);

        assertThat(stages.toGateway()).containsExactly(4.0, 3.0, 5.0);
        assertThat(stages.toKafka()).containsExactly(4.0, 4.0, 5.0);
        assertThat(stages.toChat()).containsExactly(11.0, 11.0, 10.0);
        assertThat(stages.toPage()).containsExactly(10.0, 10.0, 10.0);
    }
}
