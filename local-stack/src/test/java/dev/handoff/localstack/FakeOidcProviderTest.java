package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fake provider's wire format, as a relying party sees it: discovery, JWKS, code + PKCE, the ID token. */
class FakeOidcProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://127.0.0.1:1/auth/oidc/callback";
    private static final String VERIFIER = "a-pkce-verifier-that-is-long-enough-0123456789abcdef";

    private final FakeOidcProvider provider = FakeOidcProvider.start(0, "handoff", "s3cret+/=")
        .addUser(new FakeOidcProvider.User("alice", "sub-alice", "alice@team.test", true, "Alice"));
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void aCodeForTheVerifiedClientAndVerifierBecomesASignedIdTokenOnce() throws Exception {
        JsonNode discovery = getJson("/.well-known/openid-configuration");
        assertThat(discovery.path("issuer").asText()).isEqualTo(provider.issuer());
        assertThat(discovery.path("code_challenge_methods_supported").toString()).contains("S256");

        String code = approve("alice", "state-1", "nonce-1");
        HttpResponse<String> token = exchange(code, "handoff", "s3cret+/=", VERIFIER);
        assertThat(token.statusCode()).isEqualTo(200);
        String idToken = JSON.readTree(token.body()).path("id_token").asText();
        String[] parts = idToken.split("\\.");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("iss").asText()).isEqualTo(provider.issuer());
        assertThat(claims.path("aud").asText()).isEqualTo("handoff");
        assertThat(claims.path("sub").asText()).isEqualTo("sub-alice");
        assertThat(claims.path("nonce").asText()).isEqualTo("nonce-1");
        assertThat(claims.path("email_verified").asBoolean()).isTrue();
        assertThat(claims.path("exp").asLong()).isGreaterThan(claims.path("iat").asLong());
        assertThat(verifies(parts, getJson("/jwks").path("keys").get(0))).isTrue();

        assertThat(exchange(code, "handoff", "s3cret+/=", VERIFIER).body()).contains("invalid_grant");
    }

    @Test
    void aWrongSecretVerifierOrKeyIsRefused() throws Exception {
        assertThat(exchange(approve("alice", "s", "n"), "handoff", "wrong", VERIFIER).statusCode()).isEqualTo(401);
        assertThat(exchange(approve("alice", "s", "n"), "handoff", "s3cret+/=", "another-verifier").body())
            .contains("PKCE verification failed");

        provider.misbehaveOnce(FakeOidcProvider.Misbehaviour.FOREIGN_SIGNATURE);
        String idToken = JSON.readTree(exchange(approve("alice", "s", "n"), "handoff", "s3cret+/=", VERIFIER).body())
            .path("id_token").asText();
        assertThat(verifies(idToken.split("\\."), getJson("/jwks").path("keys").get(0))).isFalse();
    }

    @Test
    void cancellingRedirectsBackWithAccessDenied() throws Exception {
        HttpResponse<String> answer = authorize("alice", "deny", "state-9", "n");
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location").orElseThrow())
            .startsWith(REDIRECT + "?error=access_denied").endsWith("&state=state-9");
    }

    private String approve(String login, String state, String nonce) throws Exception {
        HttpResponse<String> answer = authorize(login, "approve", state, nonce);
        assertThat(answer.statusCode()).isEqualTo(302);
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?code=").endsWith("&state=" + state);
        return java.net.URLDecoder.decode(location.substring(location.indexOf("code=") + 5,
            location.indexOf("&state=")), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> authorize(String login, String decision, String state, String nonce)
        throws Exception {
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
            MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII)));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("response_type", "code");
        form.put("client_id", "handoff");
        form.put("redirect_uri", REDIRECT);
        form.put("scope", "openid email profile");
        form.put("state", state);
        form.put("nonce", nonce);
        form.put("code_challenge", challenge);
        form.put("code_challenge_method", "S256");
        form.put("username", login);
        form.put("decision", decision);
        return post("/authorize", form, null);
    }

    private HttpResponse<String> exchange(String code, String clientId, String secret, String verifier)
        throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", REDIRECT);
        form.put("code_verifier", verifier);
        String basic = Base64.getEncoder().encodeToString((encode(clientId) + ":" + encode(secret))
            .getBytes(StandardCharsets.UTF_8));
        return post("/token", form, "Basic " + basic);
    }

    private HttpResponse<String> post(String path, Map<String, String> form, String authorization) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(encode(k)).append('=').append(encode(v)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(provider.issuer() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(provider.issuer() + path)).build(),
            HttpResponse.BodyHandlers.ofString()).body());
    }

    private static boolean verifies(String[] jws, JsonNode jwk) throws Exception {
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
            new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText())),
            new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asText()))));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        rs256.update((jws[0] + "." + jws[1]).getBytes(StandardCharsets.US_ASCII));
        return rs256.verify(Base64.getUrlDecoder().decode(jws[2]));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
