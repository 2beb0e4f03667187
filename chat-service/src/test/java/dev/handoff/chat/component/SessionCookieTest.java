package dev.handoff.chat.component;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 15: the browser session cookie is {@code Secure} by default for every host but this machine's own,
 * so a Handoff reached by its name (behind TLS, as any deployment should be) never has its session sent over plain
 * http; on {@code localhost} / 127.0.0.1 (bin/handoff-local, the tests) it works without TLS.
 * {@code handoff.auth.secure-cookie} set either way overrides. The requests are written by hand to name the host.
 */
@QuarkusTest
@TestProfile(ComponentProfiles.Standard.class)
class SessionCookieTest {

    @TestHTTPResource("/")
    URL chat;

    @Test
    void theSessionCookieIsSecureUnlessTheHostIsThisMachine() throws Exception {
        assertThat(signInCookie("handoff.example.com")).contains("HttpOnly").contains("; Secure");
        assertThat(signInCookie("10.0.0.7:8080")).contains("; Secure");
        assertThat(signInCookie("localhost:" + chat.getPort())).contains("HttpOnly").doesNotContain("Secure");
        assertThat(signInCookie("127.0.0.1:" + chat.getPort())).doesNotContain("Secure");
        assertThat(signInCookie("[::1]:" + chat.getPort())).doesNotContain("Secure");
    }

    /** Over HTTP/2 (java's client upgrades a plain http connection) the host is the {@code :authority}. */
    @Test
    void overHttp2TheHostIsTheRequestsAuthority() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_2).build();
        String body = "{\"email\":\"" + ComponentProfiles.OPERATOR_EMAIL + "\",\"password\":\""
            + ComponentProfiles.OPERATOR_PASSWORD + "\"}";
        for (int attempt = 1; attempt <= 2; attempt++) {
            var answer = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + chat.getPort() + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Set-Cookie")).as("attempt %d over %s", attempt, answer.version())
                .hasValueSatisfying(cookie -> assertThat(cookie).doesNotContain("Secure"));
        }
    }

    private String signInCookie(String host) throws Exception {
        String body = "{\"email\":\"" + ComponentProfiles.OPERATOR_EMAIL + "\",\"password\":\""
            + ComponentProfiles.OPERATOR_PASSWORD + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(chat.getHost(), chat.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/auth/login HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).as(answer).startsWith("HTTP/1.1 200");
            return answer.lines().filter(line -> line.toLowerCase().startsWith("set-cookie:")).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie in " + answer));
        }
    }
}
