package dev.handoff.provisioner.provider.hetzner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Hetzner Cloud API calls Handoff needs, for one user's API token (one client per token; the token comes from
 * the secrets store, a later step). Not a CDI bean and not yet used by the provisioning flow.
 */
public final class HetznerClient {

    private static final Logger LOG = Logger.getLogger(HetznerClient.class);
    private static final int PAGE_SIZE = 50;

    private final HetznerSettings settings;
    private final ObjectMapper json;
    private final HetznerHttp http;
    private final ActionPoller actions;

    public HetznerClient(HetznerSettings settings, String token) {
        this(settings, token, HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build(),
            Sleeper.REAL, Clock.systemUTC());
    }

    HetznerClient(HetznerSettings settings, String token, HttpClient httpClient, Sleeper sleeper, Clock clock) {
        this.settings = settings;
        this.json = new ObjectMapper();
        this.http = new HetznerHttp(httpClient, json, settings, token, sleeper, clock);
        this.actions = new ActionPoller(http, settings.pollInterval(), settings.actionTimeout(), sleeper, clock);
    }

    /**
     * {@code POST /v1/servers} in the first location that can place it, trying the configured locations in order
     * when one answers with a placement failure (412, {@code placement_error}, {@code resource_unavailable}).
     * Returns once Hetzner accepted the request; {@link #awaitAction} waits for the server to be built.
     */
    public CreatedServer createServer(ServerSpec spec) {
        List<String> tried = new ArrayList<>();
        HetznerApiException last = null;
        for (String location : settings.locations()) {
            tried.add(location);
            try {
                JsonNode answer = http.send("POST", "/v1/servers", createBody(spec, location));
                CreatedServer created = new CreatedServer(HetznerJson.server(answer.path("server")),
                    Optional.of(HetznerJson.action(answer.path("action"))), location);
                LOG.infof("node %s: Hetzner server %d (%s) requested in %s", spec.nodeId(), created.server().id(),
                    spec.size().serverType(), location);
                return created;
            } catch (HetznerApiException e) {
                if ("uniqueness_error".equals(e.code())) {
                    return existingServer(spec, location, e);
                }
                if (!e.isPlacementFailure()) {
                    throw e;
                }
                LOG.warnf("node %s: %s cannot place a %s server now (%s); trying the next location",
                    spec.nodeId(), location, spec.size().serverType(), e.code());
                last = e;
            }
        }
        throw new HetznerNoCapacityException(spec.size().serverType(), tried, last);
    }

    /**
     * Server names are unique in a project, so a create retried after its first answer was lost (5xx, dropped
     * connection) is refused with {@code uniqueness_error} instead of making a second server: the node's server is
     * then looked up by its {@code handoff-node} label.
     */
    private CreatedServer existingServer(ServerSpec spec, String location, HetznerApiException refused) {
        List<HetznerServer> existing = listServers(HandoffLabels.selectorForNode(spec.nodeId()));
        if (existing.size() != 1) {
            throw refused;
        }
        HetznerServer server = existing.get(0);
        LOG.infof("node %s: Hetzner server %d already exists; using it", spec.nodeId(), server.id());
        return new CreatedServer(server, Optional.empty(), server.location().orElse(location));
    }

    /** {@code GET /v1/servers/{id}}. */
    public HetznerServer getServer(long serverId) {
        return HetznerJson.server(http.send("GET", "/v1/servers/" + serverId, null).path("server"));
    }

    /** Every server matching the label selector, following {@code meta.pagination.next_page} to the end. */
    public List<HetznerServer> listServers(String labelSelector) {
        List<HetznerServer> servers = new ArrayList<>();
        String selector = URLEncoder.encode(labelSelector, StandardCharsets.UTF_8);
        Integer page = 1;
        while (page != null) {
            JsonNode answer = http.send("GET", "/v1/servers?label_selector=" + selector + "&page=" + page
                + "&per_page=" + PAGE_SIZE, null);
            answer.path("servers").forEach(server -> servers.add(HetznerJson.server(server)));
            JsonNode next = answer.path("meta").path("pagination").path("next_page");
            Integer nextPage = next.isInt() ? next.asInt() : null;
            if (nextPage != null && nextPage <= page) {
                throw new HetznerApiException(0, "invalid_response", "Hetzner API pagination went from page "
                    + page + " back to " + nextPage);
            }
            page = nextPage;
        }
        return servers;
    }

    /**
     * {@code DELETE /v1/servers/{id}}; returns the delete action (see {@link #awaitAction}), or empty when the server
     * is already gone (404 {@code not_found}: a repeated delete, or one racing another).
     */
    public Optional<HetznerAction> deleteServer(long serverId) {
        JsonNode answer;
        try {
            answer = http.send("DELETE", "/v1/servers/" + serverId, null);
        } catch (HetznerApiException e) {
            if (e.status() == 404 && "not_found".equals(e.code())) {
                LOG.infof("Hetzner server %d: already gone", serverId);
                return Optional.empty();
            }
            throw e;
        }
        HetznerAction action = HetznerJson.action(answer.path("action"));
        LOG.infof("Hetzner server %d: delete requested (action %d)", serverId, action.id());
        return Optional.of(action);
    }

    /** Polls the action until {@code success}; throws {@link HetznerActionException} on error or timeout. */
    public HetznerAction awaitAction(long actionId) {
        return actions.awaitSuccess(actionId);
    }

    /** Polls the server until its status is {@code running}; throws {@link HetznerActionException} on timeout. */
    public HetznerServer awaitRunning(long serverId) {
        return actions.awaitRunning(serverId);
    }

    private ObjectNode createBody(ServerSpec spec, String location) {
        ObjectNode body = json.createObjectNode()
            .put("name", HandoffLabels.serverName(spec.nodeId()))
            .put("server_type", spec.size().serverType())
            .put("image", settings.image())
            .put("location", location)
            .put("user_data", spec.userData())
            .put("start_after_create", true);
        ObjectNode labels = body.putObject("labels");
        HandoffLabels.forNode(spec.nodeId()).forEach(labels::put);
        return body;
    }
}
