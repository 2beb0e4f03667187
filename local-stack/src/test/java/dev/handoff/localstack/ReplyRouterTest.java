package dev.handoff.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ReplyRouterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static MessagesRequest userSays(String... texts) throws Exception {
        StringBuilder messages = new StringBuilder();
        for (String text : texts) {
            if (messages.length() > 0) {
                messages.append(",{\"role\":\"assistant\",\"content\":\"ok\"},");
            }
            messages.append("{\"role\":\"user\",\"content\":").append(JSON.writeValueAsString(text)).append('}');
        }
        return new MessagesRequest(JSON.readTree("{\"model\":\"m\",\"messages\":[" + messages + "]}"));
    }

    @Test
    void aRequestNamingARouteMarkerIsAnsweredByThatRouteAndOthersByTheFallback() throws Exception {
        ReplyRouter router = new ReplyRouter(request -> Reply.text("fallback"));
        router.route("[[case-a]]", request -> Reply.text("from a"));
        router.route("[[case-b]]", request -> Reply.text("from b"));

        assertThat(router.reply(userSays("do it [[case-b]]")).text()).isEqualTo("from b");
        assertThat(router.reply(userSays("first [[case-a]]", "a follow-up without the marker")).text())
            .as("a follow-up in the same conversation still carries the first prompt").isEqualTo("from a");
        assertThat(router.reply(userSays("nothing special")).text()).isEqualTo("fallback");
    }

    @Test
    void aClosedRouteNoLongerAnswers() throws Exception {
        ReplyRouter router = new ReplyRouter(request -> Reply.text("fallback"));
        ReplyRouter.Route route = router.route("m-1", request -> Reply.text("routed"));
        assertThat(router.reply(userSays("m-1")).text()).isEqualTo("routed");

        route.close();

        assertThat(router.reply(userSays("m-1")).text()).isEqualTo("fallback");
    }

    @Test
    void aBlankMarkerIsRefused() {
        ReplyRouter router = new ReplyRouter(request -> Reply.text("fallback"));
        assertThatThrownBy(() -> router.route(" ", request -> Reply.text("x")))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
