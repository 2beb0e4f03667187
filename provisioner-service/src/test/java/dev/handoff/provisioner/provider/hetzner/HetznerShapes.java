package dev.handoff.provisioner.provider.hetzner;

import java.util.List;

/** Hetzner Cloud API answers in Hetzner's JSON shapes (servers, actions, pages), for WireMock stubs. */
final class HetznerShapes {

    private HetznerShapes() {
    }

    static String createdServer(long id, String location, long actionId) {
        return "{\"server\":" + server(id, "initializing", location) + ","
            + "\"action\":" + action(actionId, "create_server", "running", 0) + ","
            + "\"next_actions\":[" + action(actionId + 1, "start_server", "running", 0) + "],"
            + "\"root_password\":null}";
    }

    static String action(long id, String command, String status, int progress) {
        String finished = "running".equals(status) ? "null" : "\"2026-11-24T06:01:00+00:00\"";
        return "{\"id\":" + id + ",\"command\":\"" + command + "\",\"status\":\"" + status + "\","
            + "\"progress\":" + progress + ",\"started\":\"2026-11-24T06:00:00+00:00\",\"finished\":" + finished + ","
            + "\"resources\":[{\"id\":42,\"type\":\"server\"}],\"error\":null}";
    }

    static String actionAnswer(long id, String command, String status, int progress) {
        return "{\"action\":" + action(id, command, status, progress) + "}";
    }

    static String server(long id, String status, String location) {
        return "{\"id\":" + id + ",\"name\":\"handoff-node-" + id + "\",\"status\":\"" + status + "\","
            + "\"created\":\"2026-11-24T06:00:00+00:00\","
            + "\"public_net\":{\"ipv4\":{\"id\":" + (100 + id) + ",\"ip\":\"203.0.113." + id + "\","
            + "\"blocked\":false,\"dns_ptr\":\"static.example.com\"},\"ipv6\":null,\"floating_ips\":[],"
            + "\"firewalls\":[]},"
            + "\"server_type\":{\"id\":1,\"name\":\"cx23\",\"cores\":2,\"memory\":4.0,\"disk\":40},"
            + "\"datacenter\":{\"id\":1,\"name\":\"" + location + "-dc1\",\"location\":{\"id\":1,\"name\":\""
            + location + "\",\"country\":\"DE\"}},"
            + "\"image\":{\"id\":4711,\"type\":\"app\",\"name\":\"docker-ce\"},"
            + "\"labels\":{\"managed-by\":\"handoff\",\"handoff-node\":\"node-" + id + "\"},"
            + "\"protection\":{\"delete\":false,\"rebuild\":false}}";
    }

    static String page(List<String> servers, int page, Integer nextPage) {
        return "{\"servers\":[" + String.join(",", servers) + "],\"meta\":{\"pagination\":{\"page\":" + page
            + ",\"per_page\":50,\"previous_page\":" + (page > 1 ? page - 1 : "null") + ",\"next_page\":" + nextPage
            + ",\"last_page\":2,\"total_entries\":3}}}";
    }
}
