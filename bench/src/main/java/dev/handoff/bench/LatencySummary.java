package dev.handoff.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The usual figures of one latency measure, in milliseconds. Percentiles are nearest-rank on the sorted samples:
 * the p-th percentile is the smallest sample such that at least p% of the samples are less than or equal to it,
 * so it is always a value that was really measured.
 */
public record LatencySummary(int count, double p50, double p95, double p99, double min, double max, double mean) {

    /** Summarises {@code samplesMillis}; fails on an empty list (a measure with no samples has no figures). */
    public static LatencySummary of(List<Double> samplesMillis) {
        List<Double> sorted = sorted(samplesMillis);
        double sum = 0;
        for (double sample : sorted) {
            sum += sample;
        }
        return new LatencySummary(sorted.size(), nearestRank(sorted, 50), nearestRank(sorted, 95),
            nearestRank(sorted, 99), sorted.get(0), sorted.get(sorted.size() - 1), sum / sorted.size());
    }

    /**
     * The nearest-rank percentile: the sample at rank {@code ceil(percentile / 100 * n)} (1-based) of the
     * ascending {@code sorted} samples.
     *
     * @param percentile in (0, 100]
     */
    public static double nearestRank(List<Double> sorted, double percentile) {
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
        // multiply before dividing so that whole percentiles of whole counts stay exact (95 * 20 / 100 = 19)
        int rank = (int) Math.ceil(percentile * sorted.size() / 100.0);
        return sorted.get(Math.max(rank, 1) - 1);
    }

    private static List<Double> sorted(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> copy = new ArrayList<>(samples);
        Collections.sort(copy);
        return copy;
    }
}
