package dev.handoff.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes manifests under deploy/kubernetes, rendered the way kustomize does for the few features they use
 * (resources and namespace; {@link #render} refuses any other), and read into typed models: fabric8's Kubernetes
 * model and Strimzi's api model, with every field the model does not know refused. CloudNativePG publishes no Java
 * model on Maven Central; its resources are read as generic resources.
 */
final class Manifests {

    static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory())
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** The typed model of each kind (apiVersion/kind); CloudNativePG's kinds are generic. */
    static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
        Map.entry("v1/Namespace", Namespace.class),
        Map.entry("v1/ConfigMap", ConfigMap.class),
        Map.entry("v1/Secret", Secret.class),
        Map.entry("v1/Service", Service.class),
        Map.entry("apps/v1/Deployment", Deployment.class),
        Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
        Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
        Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
        Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
        Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
        Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
        Map.entry("postgresql.cnpg.io/v1/Cluster", GenericKubernetesResource.class),
        Map.entry("postgresql.cnpg.io/v1/Database", GenericKubernetesResource.class));

    private static final Set<String> KUSTOMIZATION_KEYS = Set.of("apiVersion", "kind", "resources", "namespace");

    private Manifests() {
    }

    /** The documents a kustomization directory renders to, in order. */
    static List<JsonNode> render(Path dir) {
        JsonNode kustomization = readAll(dir.resolve("kustomization.yaml")).get(0);
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!KUSTOMIZATION_KEYS.contains(field)) {
                throw new AssertionError(dir + "/kustomization.yaml uses '" + field + "', which Manifests.render does "
                    + "not do (extend it, or keep the kustomization to " + KUSTOMIZATION_KEYS + ")");
            }
        });
        List<JsonNode> documents = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            documents.addAll(Files.isDirectory(path) ? render(path) : readAll(path));
        }
        if (kustomization.hasNonNull("namespace")) {
            for (JsonNode document : documents) {
                if (!document.path("kind").asText().equals("Namespace")) {
                    ((ObjectNode) document.path("metadata")).put("namespace", kustomization.get("namespace").asText());
                }
            }
        }
        return documents;
    }

    static List<JsonNode> readAll(Path file) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            List<JsonNode> documents = new ArrayList<>();
            var iterator = YAML.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                JsonNode node = iterator.next();
                if (node != null && !node.isNull() && !node.isEmpty()) {
                    documents.add(node);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The document as its kind's model; an unknown kind or a field the model does not know fails. */
    static HasMetadata typed(JsonNode document) {
        String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> model = MODELS.get(key);
        if (model == null) {
            throw new AssertionError("no model for " + key + " (" + document.path("metadata").path("name") + ")");
        }
        HasMetadata resource;
        try {
            resource = YAML.treeToValue(document, model);
        } catch (IOException e) {
            throw new AssertionError(key + " " + document.path("metadata").path("name") + ": " + e.getMessage(), e);
        }
        if (model != GenericKubernetesResource.class) {
            List<String> unknown = new ArrayList<>();
            unknownFields(resource, key + " " + resource.getMetadata().getName(), unknown, new IdentityHashMap<>());
            if (!unknown.isEmpty()) {
                throw new AssertionError("fields the model does not know: " + unknown);
            }
        }
        return resource;
    }

    /** Walks the model's objects: every {@code additionalProperties} map (what the model did not know) is empty. */
    private static void unknownFields(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("io.strimzi.api")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            unknownFields(child, path + "." + getter.getName().substring(3), unknown, seen);
        }
    }
}
