package dev.handoff.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.contracts.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes, rendered (example overlay) and read into fabric8's Kubernetes and Strimzi's models with unknown
 * fields refused (CloudNativePG's resources as generic ones), then cross-checked against the services: every
 * variable is one the service reads, ports and probe paths are the service's, secrets referenced exist, topics are
 * Topics.ALL with replication 3 and min.insync.replicas 2, one database per service. Where kubectl is installed,
 * `kubectl kustomize` renders the same documents.
 */
class KubernetesManifestsTest {

    static final Path BASE = Repo.path("deploy/kubernetes/base");
    static final Path OVERLAY = Repo.path("deploy/kubernetes/overlays/example");

    /**
     * One gateway replica until commands reach the replica that holds the node's WebSocket (issue 13 part 4); with two,
     * a command consumed by the other replica waits out the reconnect grace and fails.
     */
    static final Map<String, Integer> REPLICAS_BELOW_TWO = Map.of("vm-agent-gateway", 1);

    static List<JsonNode> documents;
    static List<HasMetadata> resources;

    @BeforeAll
    static void render() {
        documents = Manifests.render(OVERLAY);
        resources = documents.stream().map(Manifests::typed).toList();
    }

    static <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    static int port(String service) {
        return Integer.parseInt(Repo.applicationProperties(service).get("quarkus.http.port"));
    }

    @Test
    void everyManifestOfTheBaseIsRenderedAndEveryResourceIsInTheNamespace() throws IOException {
        Set<String> listed = new TreeSet<>();
        Manifests.readAll(BASE.resolve("kustomization.yaml")).get(0).path("resources")
            .forEach(r -> listed.add(r.asText()));
        try (Stream<Path> files = Files.list(BASE)) {
            Set<String> present = new TreeSet<>(files.map(f -> f.getFileName().toString())
                .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).toList());
            assertThat(listed).isEqualTo(present);
        }
        for (HasMetadata resource : resources) {
            if (!resource.getKind().equals("Namespace")) {
                assertThat(resource.getMetadata().getNamespace()).as(resource.getKind() + " " + resource.getMetadata().getName())
                    .isEqualTo("handoff");
            }
        }
    }

    @Test
    void kubectlKustomizeRendersTheSameDocuments() throws IOException, InterruptedException {
        Path kubectl = Stream.of("/usr/bin/kubectl", "/usr/local/bin/kubectl").map(Path::of)
            .filter(Files::isExecutable).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(kubectl != null, "kubectl is not installed");
        Path out = Files.createTempFile("handoff-kustomize", ".yaml");
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", OVERLAY.toString())
            .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        List<JsonNode> rendered = Manifests.readAll(out);
        Files.delete(out);
        assertThat(new HashSet<>(rendered)).isEqualTo(new HashSet<>(documents));
        assertThat(rendered).hasSameSizeAs(documents);
    }

    @Test
    void eachServiceRunsWithReplicasProbesLimitsAndANonRootUser() {
        for (String service : Repo.SERVICES) {
            Deployment deployment = named(Deployment.class, service);
            int minimum = REPLICAS_BELOW_TWO.getOrDefault(service, 2);
            assertThat(deployment.getSpec().getReplicas()).as(service + " replicas").isGreaterThanOrEqualTo(minimum);
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getImage()).startsWith("handoff/" + service + ":");
            assertThat(container.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getContainerPort()).as(service).isEqualTo(port(service));
                assertThat(p.getName()).isEqualTo("http");
            });
            assertProbe(service, container.getReadinessProbe(), "/q/health/ready");
            assertProbe(service, container.getLivenessProbe(), "/q/health/live");
            assertProbe(service, container.getStartupProbe(), "/q/health/started");
            assertThat(container.getResources().getRequests()).as(service).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).as(service).containsKeys("cpu", "memory");
            assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        }
    }

    private static void assertProbe(String service, Probe probe, String path) {
        assertThat(probe).as(service + " " + path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(service).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(service).isEqualTo("http");
    }

    @Test
    void everyVariableAServiceIsGivenIsOneItReads() {
        for (String service : Repo.SERVICES) {
            ServiceSettings settings = ServiceSettings.of(service);
            for (String name : environment(service).keySet()) {
                assertThat(settings.reads(name)).as("%s reads %s", service, name).isTrue();
            }
        }
    }

    @Test
    void everySecretAServiceUsesExistsWithTheKeyAndHoldsOnlyPlaceholders() {
        for (String service : Repo.SERVICES) {
            Container container = named(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0);
            for (EnvVar env : container.getEnv()) {
                SecretKeySelector ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
                if (ref == null) {
                    assertThat(env.getName()).as(service + ": a secret setting comes from a Secret")
                        .doesNotContain("PASSWORD").doesNotContain("TOKEN").doesNotContain("SECRET");
                    continue;
                }
                if (Boolean.TRUE.equals(ref.getOptional())) {
                    continue;
                }
                Secret secret = named(Secret.class, ref.getName());
                assertThat(secret.getStringData()).as(service + " " + env.getName()).containsKey(ref.getKey());
            }
        }
        Set<String> notSecret = Set.of("username", "email", "active-key");
        for (Secret secret : all(Secret.class)) {
            assertThat(secret.getData()).as(secret.getMetadata().getName() + ": no base64 data in the repository").isNullOrEmpty();
            secret.getStringData().forEach((key, value) -> {
                if (!notSecret.contains(key)) {
                    assertThat(value).as(secret.getMetadata().getName() + " " + key + " is a placeholder")
                        .isEqualTo("change-me");
                }
            });
        }
    }

    @Test
    void servicesAndDisruptionBudgetsSelectTheirDeployments() {
        for (String service : Repo.SERVICES) {
            Map<String, String> podLabels = named(Deployment.class, service).getSpec().getTemplate().getMetadata().getLabels();
            Service svc = named(Service.class, service);
            assertThat(podLabels).containsAllEntriesOf(svc.getSpec().getSelector());
            assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).isEqualTo(port(service));
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
                assertThat(p.getName()).isEqualTo("http");
            });
            PodDisruptionBudget budget = named(PodDisruptionBudget.class, service);
            assertThat(selects(budget.getSpec().getSelector(), podLabels)).as(service + " PDB").isTrue();
            int replicas = named(Deployment.class, service).getSpec().getReplicas();
            if (replicas >= 2) {
                assertThat(budget.getSpec().getMinAvailable().getIntVal()).as(service).isBetween(1, replicas - 1);
            } else {
                assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).as(service + ": a drain is not blocked")
                    .isEqualTo(1);
            }
        }
    }

    @Test
    void theIngressServesTheWebChatAndTheNodesWebSocket() {
        Ingress ingress = named(Ingress.class, "handoff");
        Map<String, String> backends = new LinkedHashMap<>();
        for (HTTPIngressPath path : ingress.getSpec().getRules().get(0).getHttp().getPaths()) {
            backends.put(path.getPath(), path.getBackend().getService().getName());
            assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
        }
        assertThat(backends).containsEntry("/", "chat-service").containsEntry("/nodes/", "vm-agent-gateway")
            .hasSize(2);
        String gatewayUrl = configValue("provisioner-service", "HANDOFF_PROVISIONER_HETZNER_GATEWAY_URL");
        assertThat(gatewayUrl).as("nodes dial the gateway's WebSocket through the Ingress")
            .isEqualTo("wss://" + ingress.getSpec().getRules().get(0).getHost() + "/nodes/connect");
    }

    @Test
    void onlyChatServiceAndTheGatewayAreReachableFromOutsideTheNamespace() {
        assertThat(all(NetworkPolicy.class)).anySatisfy(p -> {
            assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
            assertThat(p.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
            assertThat(p.getSpec().getIngress()).isNullOrEmpty();
        });
        for (String service : Repo.SERVICES) {
            Map<String, String> labels = named(Deployment.class, service).getSpec().getTemplate().getMetadata().getLabels();
            List<NetworkPolicyPeer> outside = new ArrayList<>();
            for (NetworkPolicy policy : all(NetworkPolicy.class)) {
                if (!selects(policy.getSpec().getPodSelector(), labels)) {
                    continue;
                }
                policy.getSpec().getIngress().forEach(rule -> rule.getFrom().stream()
                    .filter(peer -> peer.getNamespaceSelector() != null || peer.getIpBlock() != null)
                    .forEach(peer -> {
                        outside.add(peer);
                        assertThat(rule.getPorts()).as(service + ": only its own port from outside").singleElement()
                            .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(port(service)));
                    }));
            }
            boolean public_ = service.equals("chat-service") || service.equals("vm-agent-gateway");
            assertThat(outside).as(service + " reachable from outside the namespace").hasSize(public_ ? 1 : 0);
        }
    }

    @Test
    void theTopicsAreTopicsAllWithReplicationThreeAndMinInsyncTwo() {
        Kafka kafka = all(Kafka.class).get(0);
        List<KafkaTopic> topics = all(KafkaTopic.class);
        assertThat(topics).extracting(t -> t.getMetadata().getName()).containsExactlyInAnyOrder(Topics.ALL);
        for (KafkaTopic topic : topics) {
            String name = topic.getMetadata().getName();
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            assertThat(topic.getSpec().getReplicas()).as(name).isEqualTo(3);
            assertThat(topic.getSpec().getPartitions()).as(name).isPositive();
            assertThat(String.valueOf(topic.getSpec().getConfig().get("min.insync.replicas"))).as(name).isEqualTo("2");
        }
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        assertThat(String.valueOf(config.get("min.insync.replicas"))).isEqualTo("2");
        assertThat(String.valueOf(config.get("default.replication.factor"))).isEqualTo("3");
        assertThat(String.valueOf(config.get("auto.create.topics.enable"))).isEqualTo("false");
        KafkaNodePool pool = all(KafkaNodePool.class).get(0);
        assertThat(pool.getSpec().getReplicas()).as("brokers for replication 3").isGreaterThanOrEqualTo(3);
        assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
        GenericKafkaListener plain = kafka.getSpec().getKafka().getListeners().stream()
            .filter(l -> !l.isTls()).findFirst().orElseThrow();
        for (String service : Repo.SERVICES) {
            assertThat(environment(service)).as(service).containsEntry("KAFKA_BOOTSTRAP_SERVERS",
                kafka.getMetadata().getName() + "-kafka-bootstrap:" + plain.getPort());
        }
    }

    @Test
    void postgresHasOneDatabaseAndRolePerServiceAndEachServiceUsesItsOwn() {
        GenericKubernetesResource cluster = resources.stream().filter(r -> r.getKind().equals("Cluster"))
            .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        String clusterName = cluster.getMetadata().getName();
        Map<String, String> passwordSecretOfOwner = new LinkedHashMap<>();
        Map<String, String> ownerOfDatabase = new LinkedHashMap<>();
        String initDatabase = cluster.get("spec", "bootstrap", "initdb", "database");
        String initOwner = cluster.get("spec", "bootstrap", "initdb", "owner");
        ownerOfDatabase.put(initDatabase, initOwner);
        passwordSecretOfOwner.put(initOwner, cluster.get("spec", "bootstrap", "initdb", "secret", "name"));
        List<Map<String, Object>> roles = cluster.get("spec", "managed", "roles");
        for (Map<String, Object> role : roles) {
            @SuppressWarnings("unchecked")
            Map<String, Object> secret = (Map<String, Object>) role.get("passwordSecret");
            passwordSecretOfOwner.put((String) role.get("name"), (String) secret.get("name"));
        }
        resources.stream().filter(r -> r.getKind().equals("Database")).map(GenericKubernetesResource.class::cast)
            .forEach(db -> {
                assertThat((String) db.get("spec", "cluster", "name")).isEqualTo(clusterName);
                ownerOfDatabase.put(db.get("spec", "name"), db.get("spec", "owner"));
            });
        assertThat(ownerOfDatabase).hasSize(Repo.SERVICES.size());
        for (String service : Repo.SERVICES) {
            String defaultUrl = Repo.applicationProperties(service).get("quarkus.datasource.reactive.url");
            String database = defaultUrl.substring(defaultUrl.lastIndexOf('/') + 1);
            assertThat(environment(service).get("QUARKUS_DATASOURCE_REACTIVE_URL"))
                .isEqualTo("postgresql://" + clusterName + "-rw:5432/" + database);
            String owner = ownerOfDatabase.get(database);
            assertThat(owner).as(service + "'s database " + database).isNotNull();
            Container container = named(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0);
            String userSecret = secretOf(container, "QUARKUS_DATASOURCE_USERNAME");
            assertThat(secretOf(container, "QUARKUS_DATASOURCE_PASSWORD")).isEqualTo(userSecret);
            assertThat(passwordSecretOfOwner.get(owner)).as(service + " logs in as " + owner).isEqualTo(userSecret);
            Secret secret = named(Secret.class, userSecret);
            assertThat(secret.getType()).isEqualTo("kubernetes.io/basic-auth");
            assertThat(secret.getStringData()).containsEntry("username", owner);
        }
    }

    @Test
    void theComposeTopicsScriptUsesTheSamePartitions() {
        assertThat(ComposeFileTest.composeTopics()).isEqualTo(topicPartitions());
    }

    /** Partitions of each KafkaTopic in the base. */
    static Map<String, Integer> topicPartitions() {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (JsonNode document : Manifests.readAll(BASE.resolve("topics.yaml"))) {
            KafkaTopic topic = (KafkaTopic) Manifests.typed(document);
            partitions.put(topic.getMetadata().getName(), topic.getSpec().getPartitions());
        }
        return partitions;
    }

    private static String secretOf(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
            .map(e -> e.getValueFrom().getSecretKeyRef().getName()).orElseThrow(() -> new AssertionError(name));
    }

    /** The variables a service's container gets: its env and every key of its envFrom ConfigMaps, with values. */
    static Map<String, String> environment(String service) {
        Container container = named(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            assertThat(source.getSecretRef()).as(service + ": secrets by name, not envFrom").isNull();
            env.putAll(named(ConfigMap.class, source.getConfigMapRef().getName()).getData());
        }
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), var.getValue() == null ? "<from " + var.getValueFrom() + ">" : var.getValue());
        }
        return env;
    }

    private static String configValue(String service, String name) {
        return environment(service).get(name);
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null
            && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                String value = labels.get(requirement.getKey());
                boolean ok = switch (requirement.getOperator()) {
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    case "In" -> value != null && requirement.getValues().contains(value);
                    case "NotIn" -> value == null || !requirement.getValues().contains(value);
                    default -> throw new AssertionError("operator " + requirement.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
