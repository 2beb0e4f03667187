package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/nodes} a page at a time: {@code limit} and the cursor {@code after}; the {@code Link} header names
 * the next page until the last. Every node is listed once, newest first, and a bad limit or cursor is refused
 * naming the field.
 */
@ExtendWith(SharedStack.class)
class NodeListPagingEndToEndTest {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    private final HandoffApi api = new HandoffApi(SharedStack.get().stack().chatUrl());

    @Test
    void everyNodeIsListedOncePageByPageNewestFirst() {
        List<String> attached = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            attached.add(0, api.attachNode().path("nodeId").asText());
        }

        List<String> listed = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String path = "/api/nodes?limit=2";
        while (path != null) {
            HandoffApi.Answer page = api.get(path);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.body().forEach(node -> listed.add(node.path("id").asText()));
            pageSizes.add(page.body().size());
            path = page.headers().firstValue("Link").map(NodeListPagingEndToEndTest::nextPath).orElse(null);
            if (path != null) {
                assertThat(page.headers().firstValue("X-Next-After")).hasValue(listed.get(listed.size() - 1));
            }
        }

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(listed).containsExactlyElementsOf(attached);
        assertThat(api.get("/api/nodes").body()).hasSize(5);
    }

    @Test
    void aBadLimitOrCursorIsRefusedNamingTheField() {
        for (String limit : List.of("0", "501", "-1")) {
            HandoffApi.Answer answer = api.get("/api/nodes?limit=" + limit);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.body().path("field").asText()).isEqualTo("limit");
        }
        HandoffApi.Answer unknown = api.get("/api/nodes?after=node-nobodys");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
        assertThat(unknown.body().path("field").asText()).isEqualTo("after");

        String someoneElses = new HandoffApi(SharedStack.get().stack().chatUrl()).attachNode().path("nodeId").asText();
        JsonNode foreign = api.get("/api/nodes?after=" + someoneElses).body();
        assertThat(foreign.path("field").asText()).as("another user's node is no cursor").isEqualTo("after");
    }

    /** The path and query of the next page's address. */
    private static String nextPath(String link) {
        Matcher next = NEXT.matcher(link);
        if (!next.find()) {
            return null;
        }
        java.net.URI uri = java.net.URI.create(next.group(1));
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
