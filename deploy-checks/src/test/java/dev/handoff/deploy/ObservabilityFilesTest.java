package dev.handoff.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.handoff.contracts.Meters;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/observability, checked offline: the Grafana dashboard and the Prometheus alert rules parse, and every
 * metric their queries name is one Handoff registers ({@link Meters}: Handoff's own meters and the library meters the
 * files use), so a renamed or removed meter fails here instead of leaving an empty panel or an alert that never
 * fires. docs/observability.md names every Handoff meter and every alert.
 */
class ObservabilityFilesTest {

    static final String DASHBOARD = "deploy/observability/handoff-dashboard.json";
    static final String ALERTS = "deploy/observability/handoff-alerts.yml";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** PromQL words that are not metric names: aggregations, functions' keywords, set operators. */
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "by", "without",
        "and", "or", "unless", "on", "ignoring", "group_left", "group_right", "offset", "bool", "topk", "bottomk",
        "quantile", "stddev", "stdvar", "inf", "nan");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LISTS = Pattern.compile(
        "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");

    @Test
    void everyMetricTheDashboardQueriesIsOneHandoffRegisters() throws IOException {
        List<String> queries = dashboardQueries();

        assertThat(queries).as("the dashboard's queries").hasSizeGreaterThan(10);
        assertThat(unknownMetrics(queries)).as("metrics the dashboard names that Handoff does not register")
            .isEmpty();
    }

    @Test
    void everyMetricTheAlertRulesUseIsOneHandoffRegisters() throws IOException {
        List<String> queries = new ArrayList<>();
        for (JsonNode rule : alertRules()) {
            assertThat(rule.path("alert").asText()).as("an alert's name").isNotBlank();
            assertThat(rule.path("annotations").path("summary").asText()).as(rule.path("alert") + " summary")
                .isNotBlank();
            queries.add(rule.path("expr").asText());
        }

        assertThat(unknownMetrics(queries)).as("metrics the alert rules name that Handoff does not register")
            .isEmpty();
    }

    @Test
    void theAlertsTheIssueAsksForAreThere() throws IOException {
        List<String> names = alertRules().stream().map(rule -> rule.path("alert").asText()).toList();

        assertThat(names).containsExactlyInAnyOrder("HandoffTaskPastDeadline", "HandoffOutboxStuck",
            "HandoffDeadLetters", "HandoffNoNodeForWaitingTasks", "HandoffConsumerLagGrowing");
    }

    @Test
    void aMetricNoServiceRegistersIsFound() {
        assertThat(unknownMetrics(List.of(
            "sum by (step) (rate(handoff_task_step_ends_total{cause=\"Deadline\"}[5m])) / handoff_no_such_meter",
            "histogram_quantile(0.99, sum by (le) (rate(handoff_chat_agent_output_relay_seconds_bucket[1m])))",
            "handoff_tasks_total")))
            .containsExactly("handoff_no_such_meter", "handoff_tasks_total");
    }

    @Test
    void theDocsNameEveryMeterAndEveryAlert() throws IOException {
        String docs = Repo.read("docs/observability.md");
        for (Meters.Meter meter : Meters.HANDOFF) {
            assertThat(docs).as("docs/observability.md names " + meter.name()).contains("`" + meter.prometheusName());
        }
        for (JsonNode rule : alertRules()) {
            assertThat(docs).as("docs/observability.md explains " + rule.path("alert").asText())
                .contains("`" + rule.path("alert").asText() + "`");
        }
        assertThat(docs).contains(DASHBOARD, ALERTS);
    }

    /** The metric names in {@code queries} that are not a series of {@link Meters#allSeries()}, sorted. */
    static Set<String> unknownMetrics(List<String> queries) {
        Set<String> known = Meters.allSeries();
        Set<String> unknown = new TreeSet<>();
        for (String query : queries) {
            for (String metric : metricNames(query)) {
                if (!known.contains(metric)) {
                    unknown.add(metric);
                }
            }
        }
        return unknown;
    }

    /** The metric names a PromQL expression reads: identifiers that are not functions, keywords or label names. */
    static List<String> metricNames(String query) {
        String bare = QUOTED.matcher(query).replaceAll("\"\"");
        bare = LABEL_MATCHERS.matcher(bare).replaceAll(" ");
        bare = RANGES.matcher(bare).replaceAll(" ");
        bare = LABEL_LISTS.matcher(bare).replaceAll(" ");
        List<String> names = new ArrayList<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String word = identifier.group();
            if (identifier.group(1) != null || PROMQL_WORDS.contains(word.toLowerCase())) {
                continue;
            }
            if (identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1))) {
                continue;
            }
            names.add(word);
        }
        return names;
    }

    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = JSON.readTree(Repo.path(DASHBOARD).toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        List<String> queries = new ArrayList<>();
        collect(dashboard.path("panels"), queries);
        return queries;
    }

    private static void collect(JsonNode panels, List<String> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText());
            }
            collect(panel.path("panels"), queries);
        }
    }

    private static List<JsonNode> alertRules() throws IOException {
        JsonNode file = YAML.readTree(Repo.path(ALERTS).toFile());
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : file.path("groups")) {
            assertThat(group.path("name").asText()).isNotBlank();
            group.path("rules").forEach(rules::add);
        }
        assertThat(rules).as("alert rules in " + ALERTS).isNotEmpty();
        return rules;
    }
}
