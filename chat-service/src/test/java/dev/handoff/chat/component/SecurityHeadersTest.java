package dev.handoff.chat.component;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 15: the page's protections travel as HTTP headers on every answer (the page, its scripts, the API,
 * an error), so no other site can frame Handoff (clickjacking) and no answer is sniffed into a script:
 * {@code Content-Security-Policy} with {@code frame-ancestors 'none'}, {@code X-Content-Type-Options: nosniff},
 * {@code Referrer-Policy: no-referrer}. {@code Strict-Transport-Security} only over https (this test's plain http
 * gets none).
 */
@QuarkusTest
@TestProfile(ComponentProfiles.Standard.class)
class SecurityHeadersTest {

    @TestHTTPResource("/")
    URL chat;

    @Test
    void everyAnswerCarriesThePagesProtectionsAsHeaders() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String path : List.of("/", "/js/app.js", "/api/auth/providers", "/api/projects", "/no-such-page")) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(chat.toString()).resolve(path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.headers().firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(csp ->
                assertThat(csp).contains("frame-ancestors 'none'").contains("default-src 'self'")
                    .contains("object-src 'none'"));
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
            assertThat(answer.headers().firstValue("Strict-Transport-Security")).as(path + " over http").isEmpty();
        }
    }
}
