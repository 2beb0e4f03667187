package dev.handoff.chat.service;

import dev.handoff.chat.repository.StoredModelEndpoint;
import dev.handoff.chat.rest.ApiException;
import dev.handoff.contracts.node.AgentModelEndpoints;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Users' model endpoints, one base URL per agent (a model gateway or proxy, an Anthropic-compatible server), set in
 * their settings beside the agent's API key. A task's node gets the task owner's endpoints over this installation's
 * ({@link #forTask}), with the secrets; the node puts the one for the task's agent into the agent's environment.
 */
@ApplicationScoped
public class ModelEndpointService {

    /** An agent's endpoint as the settings API shows it. */
    public record ModelEndpointInfo(String agent, String url, Instant setAt) {
    }

    private static final Logger LOG = Logger.getLogger(ModelEndpointService.class);

    @Inject
    SecretOwners owners;

    @Inject
    AgentCatalog agents;

    public Uni<Void> put(String agent, String url) {
        String owner = owners.currentOwnerId();
        String checkedAgent = requireAgent(agent);
        String checkedUrl = ModelEndpointUrl.require("url", url);
        return Panache.withTransaction(() -> find(owner, checkedAgent).flatMap(existing -> {
            StoredModelEndpoint endpoint = existing != null ? existing : new StoredModelEndpoint();
            endpoint.ownerId = owner;
            endpoint.agent = checkedAgent;
            endpoint.url = checkedUrl;
            endpoint.setAt = Instant.now();
            return existing != null ? Uni.createFrom().voidItem()
                : Panache.getSession().flatMap(s -> s.persist(endpoint));
        })).invoke(() -> LOG.infof("model endpoint of %s for %s set", owner, checkedAgent));
    }

    public Uni<List<ModelEndpointInfo>> list() {
        String owner = owners.currentOwnerId();
        return Panache.withSession(() -> all(owner)).map(endpoints -> endpoints.stream()
            .map(e -> new ModelEndpointInfo(e.agent, e.url, e.setAt)).toList());
    }

    /** @return whether there was one */
    public Uni<Boolean> delete(String agent) {
        String owner = owners.currentOwnerId();
        String checkedAgent = agents.require("agent", agent);
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s
            .createMutationQuery("delete from StoredModelEndpoint where ownerId = ?1 and agent = ?2")
            .setParameter(1, owner).setParameter(2, checkedAgent).executeUpdate()))
            .map(deleted -> deleted > 0);
    }

    /** Agent name to the endpoint its process gets for this task: the owner's setting over the installation's. */
    public Uni<Map<String, String>> forTask(String taskId) {
        return owners.ownerOfTask(taskId).flatMap(owner -> owner == null
                ? Uni.createFrom().item(List.<StoredModelEndpoint>of())
                : Panache.withSession(() -> all(owner)))
            .map(stored -> {
                Map<String, String> user = new LinkedHashMap<>();
                stored.forEach(e -> user.put(e.agent, e.url));
                return ModelEndpoints.effective(agents.installationModelEndpoints(), user);
            });
    }

    /** An agent of this Handoff whose endpoint Handoff can set; else a 400 naming {@code agent}. */
    private String requireAgent(String agent) {
        String checked = agents.require("agent", agent);
        if (AgentModelEndpoints.variableOf(checked).isEmpty()) {
            throw ApiException.invalid("agent", checked + " takes its model endpoint only from its own "
                + "configuration file, which Handoff does not set; model endpoints can be set for "
                + AgentModelEndpoints.agents().stream().sorted().toList());
        }
        return checked;
    }

    private static Uni<StoredModelEndpoint> find(String owner, String agent) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from StoredModelEndpoint where ownerId = ?1 and agent = ?2", StoredModelEndpoint.class)
            .setParameter(1, owner).setParameter(2, agent).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    private static Uni<List<StoredModelEndpoint>> all(String owner) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from StoredModelEndpoint where ownerId = ?1 order by agent", StoredModelEndpoint.class)
            .setParameter(1, owner).getResultList());
    }
}
