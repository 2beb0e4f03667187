package dev.handoff.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fake OpenID Connect provider on 127.0.0.1 for team sign-in, speaking the real wire format (OpenID Connect Core
 * 1.0 authorization code flow, RFC 7636 PKCE):
 * <ul>
 *   <li>{@code GET /.well-known/openid-configuration}: discovery (issuer, endpoints, RS256, S256).</li>
 *   <li>{@code GET /jwks}: the RSA public key that signs ID tokens.</li>
 *   <li>{@code GET /authorize}: a small sign-in form (user name; "Sign in" or "Cancel"); {@code POST /authorize}
 *       redirects back to {@code redirect_uri} with {@code code} and {@code state}, or {@code error=access_denied}.
 *       </li>
 *   <li>{@code POST /token}: checks the client's credentials (HTTP Basic or in the form), that the code is known,
 *       unused, unexpired and was issued to this client and redirect URI, and the PKCE verifier against the
 *       challenge; answers an RS256 ID token with iss, aud, sub, exp, iat, nonce, email, email_verified, name.</li>
 * </ul>
 * Users are added with {@link #addUser}. Tests make the next token go wrong with {@link #misbehaveOnce} and make
 * codes expire with {@link #codeLifetime}.
 */
public final class FakeOidcProvider implements AutoCloseable {

    /** A person who can sign in here: the form's user name and what the ID token says about them. */
    public record User(String login, String subject, String email, boolean emailVerified, String name) {
    }

    /** Ways the next issued ID token can be wrong, for tests of the relying party's refusals. */
    public enum Misbehaviour {
        /** {@code aud} names another client. */
        WRONG_AUDIENCE,
        /** Signed with a key that is not in the JWKS (under the published key id). */
        FOREIGN_SIGNATURE,
        /** {@code iss} names another issuer. */
        WRONG_ISSUER,
        /** {@code exp} already passed. */
        EXPIRED
    }

    /** A token request as received (the secret replaced): for tests asserting PKCE and client authentication. */
    public record TokenRequest(String clientId, String grantType, boolean codeVerifierSent, int status) {
    }

    private record PendingCode(String clientId, String redirectUri, String nonce, String codeChallenge,
                               String challengeMethod, User user, Instant expiresAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_ID = "fake-oidc-1";

    private final HttpServer server;
    private final ExecutorService executor;
    private final String clientId;
    private final String clientSecret;
    private final KeyPair signingKey = rsaKeyPair();
    private final KeyPair foreignKey = rsaKeyPair();
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();
    private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final AtomicReference<Misbehaviour> misbehaviour = new AtomicReference<>();
    private volatile Duration codeLifetime = Duration.ofMinutes(1);
    private final Clock clock = Clock.systemUTC();

    private FakeOidcProvider(int port, String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake OIDC provider on port " + port, e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-oidc");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on {@code port} (0: a free one) with one registered client. */
    public static FakeOidcProvider start(int port, String clientId, String clientSecret) {
        return new FakeOidcProvider(port, clientId, clientSecret);
    }

    /** The issuer, also the base of every endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public FakeOidcProvider addUser(User user) {
        users.put(user.login(), user);
        return this;
    }

    /** The next ID token issued is wrong in this way; later ones are right again. */
    public void misbehaveOnce(Misbehaviour how) {
        misbehaviour.set(how);
    }

    /** How long an authorization code can be exchanged (a minute unless changed). */
    public void codeLifetime(Duration lifetime) {
        codeLifetime = lifetime;
    }

    /** Every token request so far, in arrival order. */
    public List<TokenRequest> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("/.well-known/openid-configuration")) {
                sendJson(exchange, 200, discovery());
            } else if (method.equals("GET") && path.equals("/jwks")) {
                sendJson(exchange, 200, jwks());
            } else if (method.equals("GET") && path.equals("/authorize")) {
                authorizePage(exchange, query(exchange.getRequestURI().getRawQuery()), null);
            } else if (method.equals("POST") && path.equals("/authorize")) {
                authorizeDecision(exchange, query(body(exchange)));
            } else if (method.equals("POST") && path.equals("/token")) {
                token(exchange);
            } else {
                sendJson(exchange, 404, JSON.createObjectNode().put("error", "not_found"));
            }
        } catch (RuntimeException e) {
            sendJson(exchange, 500, JSON.createObjectNode().put("error", "server_error")
                .put("error_description", String.valueOf(e.getMessage())));
        }
    }

    private ObjectNode discovery() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("issuer", issuer());
        doc.put("authorization_endpoint", issuer() + "/authorize");
        doc.put("token_endpoint", issuer() + "/token");
        doc.put("jwks_uri", issuer() + "/jwks");
        doc.putArray("response_types_supported").add("code");
        doc.putArray("subject_types_supported").add("public");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        doc.putArray("scopes_supported").add("openid").add("email").add("profile");
        doc.putArray("token_endpoint_auth_methods_supported").add("client_secret_basic").add("client_secret_post");
        doc.putArray("code_challenge_methods_supported").add("S256");
        doc.putArray("grant_types_supported").add("authorization_code");
        doc.putArray("claims_supported").add("iss").add("aud").add("sub").add("exp").add("iat").add("nonce")
            .add("email").add("email_verified").add("name");
        return doc;
    }

    private ObjectNode jwks() {
        RSAPublicKey key = (RSAPublicKey) signingKey.getPublic();
        ObjectNode doc = JSON.createObjectNode();
        doc.putArray("keys").addObject()
            .put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", KEY_ID)
            .put("n", base64Url(unsigned(key.getModulus()))).put("e", base64Url(unsigned(key.getPublicExponent())));
        return doc;
    }

    /** The sign-in form; the authorization request's parameters travel on in hidden fields. */
    private void authorizePage(HttpExchange exchange, Map<String, String> params, String problem) throws IOException {
        String invalid = invalidAuthorizeRequest(params);
        if (invalid != null) {
            sendHtml(exchange, 400, "<p id=\"error\">" + escape(invalid) + "</p>");
            return;
        }
        StringBuilder hidden = new StringBuilder();
        for (String name : List.of("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
            "code_challenge", "code_challenge_method")) {
            if (params.containsKey(name)) {
                hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                    .append(escape(params.get(name))).append("\">");
            }
        }
        sendHtml(exchange, 200, "<h1>Fake OIDC provider</h1>"
            + (problem == null ? "" : "<p id=\"error\">" + escape(problem) + "</p>")
            + "<form method=\"post\" action=\"/authorize\">" + hidden
            + "<label>User name <input name=\"username\" autocomplete=\"username\"></label>"
            + "<button type=\"submit\" name=\"decision\" value=\"approve\">Sign in</button>"
            + "<button type=\"submit\" name=\"decision\" value=\"deny\">Cancel</button></form>");
    }

    private String invalidAuthorizeRequest(Map<String, String> params) {
        if (!clientId.equals(params.get("client_id"))) {
            return "unknown client_id";
        }
        if (!"code".equals(params.get("response_type"))) {
            return "response_type must be code";
        }
        String redirect = params.get("redirect_uri");
        if (redirect == null || !(redirect.startsWith("http://") || redirect.startsWith("https://"))) {
            return "redirect_uri is required";
        }
        String scope = params.getOrDefault("scope", "");
        if (!List.of(scope.split(" ")).contains("openid")) {
            return "scope must include openid";
        }
        return null;
    }

    private void authorizeDecision(HttpExchange exchange, Map<String, String> form) throws IOException {
        String invalid = invalidAuthorizeRequest(form);
        if (invalid != null) {
            sendHtml(exchange, 400, "<p id=\"error\">" + escape(invalid) + "</p>");
            return;
        }
        String redirectUri = form.get("redirect_uri");
        String state = form.get("state");
        if (!"approve".equals(form.get("decision"))) {
            redirect(exchange, redirectUri, "error=access_denied&error_description="
                + encode("The user cancelled the sign-in") + stateParam(state));
            return;
        }
        User user = users.get(form.getOrDefault("username", "").strip());
        if (user == null) {
            authorizePage(exchange, form, "No such user.");
            return;
        }
        String code = randomToken();
        codes.put(code, new PendingCode(clientId, redirectUri, form.get("nonce"), form.get("code_challenge"),
            form.getOrDefault("code_challenge_method", "plain"), user, clock.instant().plus(codeLifetime)));
        redirect(exchange, redirectUri, "code=" + encode(code) + stateParam(state));
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = query(body(exchange));
        String[] client = clientCredentials(exchange, form);
        String grantType = form.get("grant_type");
        boolean verifierSent = form.containsKey("code_verifier");
        if (client == null || !sameAs(clientId, client[0], client) || !sameAs(clientSecret, client[1], client)) {

            tokenError(exchange, 401, "invalid_client", "client authentication failed", client, grantType,
                verifierSent);
            return;
        }
        if (!"authorization_code".equals(grantType)) {
            tokenError(exchange, 400, "unsupported_grant_type", "only authorization_code", client, grantType,
                verifierSent);
            return;
        }
        // A code is good for one exchange only, whatever the outcome.
        PendingCode pending = form.get("code") == null ? null : codes.remove(form.get("code"));
        String problem = pending == null ? "unknown or already used code"
            : pending.expiresAt().isBefore(clock.instant()) ? "the code expired"
            : !sameAs(pending.clientId(), client[0], client) ? "the code was issued to another client"
            : !pending.redirectUri().equals(form.get("redirect_uri")) ? "redirect_uri differs from the authorization"
            : !pkceMatches(pending, form.get("code_verifier")) ? "PKCE verification failed"
            : null;
        if (problem != null) {
            tokenError(exchange, 400, "invalid_grant", problem, client, grantType, verifierSent);
            return;
        }
        tokenRequests.add(new TokenRequest(client[0], grantType, verifierSent, 200));
        ObjectNode answer = JSON.createObjectNode();
        answer.put("access_token", randomToken());
        answer.put("token_type", "Bearer");
        answer.put("expires_in", 300);
        answer.put("scope", "openid email profile");
        answer.put("id_token", idToken(pending, misbehaviour.getAndSet(null)));
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        sendJson(exchange, 200, answer);
    }

    private void tokenError(HttpExchange exchange, int status, String error, String description, String[] client,
                            String grantType, boolean verifierSent) throws IOException {
        tokenRequests.add(new TokenRequest(client == null ? null : client[0], grantType, verifierSent, status));
        sendJson(exchange, status, JSON.createObjectNode().put("error", error).put("error_description", description));
    }

    /** Whether a credential is the expected one, raw or (from HTTP Basic) form-decoded. */
    private static boolean sameAs(String expected, String sent, String[] client) {
        return expected.equals(sent) || (client.length > 2 && expected.equals(decode(sent)));
    }

    private static boolean pkceMatches(PendingCode pending, String verifier) {
        if (pending.codeChallenge() == null) {
            return verifier == null;
        }
        if (verifier == null) {
            return false;
        }
        String computed = "S256".equals(pending.challengeMethod())
            ? base64Url(sha256(verifier.getBytes(StandardCharsets.US_ASCII))) : verifier;
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
            pending.codeChallenge().getBytes(StandardCharsets.US_ASCII));
    }

    /** client_secret_basic (RFC 6749 2.3.1: form-encoded, then Basic) or client_secret_post. */
    private static String[] clientCredentials(HttpExchange exchange, Map<String, String> form) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            // RFC 6749 2.3.1 asks clients to form-encode both first; some send them raw: either is taken.
            return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1), "basic"};
        }
        if (form.containsKey("client_id") && form.containsKey("client_secret")) {
            return new String[] {form.get("client_id"), form.get("client_secret")};
        }
        return null;
    }

    private String idToken(PendingCode pending, Misbehaviour how) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", how == Misbehaviour.WRONG_ISSUER ? "http://issuer.invalid" : issuer());
        claims.put("aud", how == Misbehaviour.WRONG_AUDIENCE ? "some-other-client" : pending.clientId());
        claims.put("sub", pending.user().subject());
        claims.put("iat", how == Misbehaviour.EXPIRED ? now - 7200 : now);
        claims.put("exp", how == Misbehaviour.EXPIRED ? now - 3600 : now + 300);
        claims.put("auth_time", now);
        if (pending.nonce() != null) {
            claims.put("nonce", pending.nonce());
        }
        claims.put("email", pending.user().email());
        claims.put("email_verified", pending.user().emailVerified());
        claims.put("name", pending.user().name());
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", KEY_ID);
        try {
            String signingInput = base64Url(JSON.writeValueAsBytes(header)) + "." + base64Url(JSON.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            PrivateKey key = how == Misbehaviour.FOREIGN_SIGNATURE ? foreignKey.getPrivate() : signingKey.getPrivate();
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rs256.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void redirect(HttpExchange exchange, String redirectUri, String query) throws IOException {
        String location = redirectUri + (URI.create(redirectUri).getRawQuery() == null ? "?" : "&") + query;
        exchange.getResponseHeaders().set("Location", location);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(302, -1);
    }

    private static String stateParam(String state) {
        return state == null ? "" : "&state=" + encode(state);
    }

    private static void sendHtml(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Fake OIDC provider</title></head>"
            + "<body>" + body + "</body></html>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** {@code a=b&c=d} (query string or form body), decoded; the first value of a repeated name wins. */
    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            params.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return base64Url(bytes);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
