package dev.handoff.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatencySummaryTest {

    @Test
    void nearestRankPicksTheSampleAtRankCeilOfPTimesN() {
        List<Double> sorted = List.of(15.0, 20.0, 35.0, 40.0, 50.0);

        assertThat(LatencySummary.nearestRank(sorted, 5)).isEqualTo(15.0);
        assertThat(LatencySummary.nearestRank(sorted, 30)).isEqualTo(20.0);
        assertThat(LatencySummary.nearestRank(sorted, 40)).isEqualTo(20.0);
        assertThat(LatencySummary.nearestRank(sorted, 50)).isEqualTo(35.0);
        assertThat(LatencySummary.nearestRank(sorted, 100)).isEqualTo(50.0);
    }

    @Test
    void wholePercentilesOfWholeCountsAreExactRanks() {
        List<Double> oneToTwenty = IntStream.rangeClosed(1, 20).asDoubleStream().boxed().toList();

        assertThat(LatencySummary.nearestRank(oneToTwenty, 95)).isEqualTo(19.0);
        assertThat(LatencySummary.nearestRank(oneToTwenty, 99)).isEqualTo(20.0);
        assertThat(LatencySummary.nearestRank(oneToTwenty, 50)).isEqualTo(10.0);
    }

    @Test
    void summarySortsTheSamplesFirst() {
        LatencySummary summary = LatencySummary.of(List.of(40.0, 15.0, 50.0, 20.0, 35.0));

        assertThat(summary).isEqualTo(new LatencySummary(5, 35.0, 50.0, 50.0, 15.0, 50.0, 32.0));
    }

    @Test
    void oneSampleIsEveryPercentile() {
        assertThat(LatencySummary.of(List.of(7.0))).isEqualTo(new LatencySummary(1, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0));
    }

    @Test
    void noSamplesAndOutOfRangePercentilesAreRefused() {
        assertThatThrownBy(() -> LatencySummary.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencySummary.nearestRank(List.of(1.0), 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencySummary.nearestRank(List.of(1.0), 100.5))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
