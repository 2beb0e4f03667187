package dev.handoff.chat.service;

import dev.handoff.chat.repository.StoredSecret;
import dev.handoff.chat.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Users' secrets (GitHub token, agent API keys, cloud tokens), stored encrypted by {@link SecretCipher}. The
 * public API only writes, lists names and deletes; plaintext leaves only through {@link #revealForTask}, for the
 * gateway's authenticated internal call. Neither names' values nor plaintext are ever logged.
 */
@ApplicationScoped
public class SecretService {

    /** A secret's name and when it was last set; never its value. */
    public record SecretInfo(String name, Instant setAt) {
    }

    private static final Logger LOG = Logger.getLogger(SecretService.class);
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    static final int MAX_VALUE_CHARS = 16_384;

    @Inject
    SecretCipher cipher;

    @Inject
    SecretOwners owners;

    public Uni<Void> put(String name, String value) {
        String owner = owners.currentOwnerId();
        String checkedName = requireName(name);
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("value", "value must be a non-empty string");
        }
        if (value.length() > MAX_VALUE_CHARS) {
            throw ApiException.invalid("value", "value must be at most " + MAX_VALUE_CHARS + " characters");
        }
        requireConfigured();
        SecretCipher.Sealed sealed = cipher.encrypt(value, associatedData(owner, checkedName));
        return Panache.withTransaction(() -> find(owner, checkedName).flatMap(existing -> {
            StoredSecret secret = existing != null ? existing : new StoredSecret();
            secret.ownerId = owner;
            secret.name = checkedName;
            secret.keyId = sealed.keyId();
            secret.iv = sealed.iv();
            secret.ciphertext = sealed.ciphertext();
            secret.setAt = Instant.now();
            return existing != null ? Uni.createFrom().voidItem()
                : Panache.getSession().flatMap(s -> s.persist(secret));
        })).invoke(() -> LOG.infof("secret %s of %s stored (key %s)", checkedName, owner, sealed.keyId()));
    }

    public Uni<List<SecretInfo>> list() {
        String owner = owners.currentOwnerId();
        return Panache.withSession(() -> all(owner))
            .map(secrets -> secrets.stream().map(s -> new SecretInfo(s.name, s.setAt)).toList());
    }

    /** @return whether there was such a secret */
    public Uni<Boolean> delete(String name) {
        String owner = owners.currentOwnerId();
        String checkedName = requireName(name);
        return Panache.withTransaction(() -> Panache.getSession().flatMap(s -> s
            .createMutationQuery("delete from StoredSecret where ownerId = ?1 and name = ?2")
            .setParameter(1, owner).setParameter(2, checkedName).executeUpdate()))
            .map(deleted -> deleted > 0);
    }

    /**
     * The task owner's secrets a node needs, decrypted: name to value ({@link #neededOnNodes}: the git token and
     * agents' API keys; cloud tokens stay here). Only for the gateway's internal call.
     */
    public Uni<Map<String, String>> revealForTask(String taskId) {
        if (!cipher.configured()) {
            return Uni.createFrom().item(Map.of());
        }
        return owners.ownerOfTask(taskId).flatMap(owner -> owner == null ? Uni.createFrom().item(List.<StoredSecret>of())
            : Panache.withSession(() -> all(owner))).map(secrets -> {
            Map<String, String> values = new LinkedHashMap<>();
            for (StoredSecret secret : secrets.stream().filter(s -> neededOnNodes(s.name)).toList()) {
                values.put(secret.name, cipher.decrypt(new SecretCipher.Sealed(secret.keyId, secret.iv,
                    secret.ciphertext), associatedData(secret.ownerId, secret.name)));
            }
            LOG.infof("task %s: secrets %s handed to the gateway", taskId, values.keySet());
            return values;
        });
    }

    /** The cloud API tokens the provisioner may read (never sent to nodes). */
    static final java.util.Set<String> CLOUD_TOKENS = java.util.Set.of("hetzner_token");

    /**
     * A user's cloud API token, decrypted, for the provisioner's internal call; empty when the user has none or the
     * name is not a cloud token.
     */
    public Uni<java.util.Optional<String>> revealCloudToken(String ownerId, String name) {
        if (!CLOUD_TOKENS.contains(name) || !cipher.configured()) {
            return Uni.createFrom().item(java.util.Optional.empty());
        }
        return Panache.withSession(() -> all(ownerId)).map(secrets -> secrets.stream()
            .filter(secret -> secret.name.equals(name)).findFirst()
            .map(secret -> cipher.decrypt(new SecretCipher.Sealed(secret.keyId, secret.iv, secret.ciphertext),
                associatedData(secret.ownerId, secret.name))))
            .invoke(token -> LOG.infof("%s of %s %s to the provisioner", name, ownerId,
                token.isPresent() ? "handed" : "not set; nothing handed"));
    }

    /** {@code github_token} (clone, push, pull request) and {@code <vendor>_api_key} (the agent's environment). */
    static boolean neededOnNodes(String name) {
        return name.equals("github_token") || name.endsWith("_api_key");
    }

    private void requireConfigured() {
        if (!cipher.configured()) {
            throw new ApiException(503, null, "secrets cannot be stored: no encryption key is configured "
                + "(handoff.secrets.keys)");
        }
    }

    private static Uni<StoredSecret> find(String owner, String name) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from StoredSecret where ownerId = ?1 and name = ?2", StoredSecret.class)
            .setParameter(1, owner).setParameter(2, name).getResultList())
            .map(list -> list.isEmpty() ? null : list.get(0));
    }

    private static Uni<List<StoredSecret>> all(String owner) {
        return Panache.getSession().flatMap(s -> s
            .createQuery("from StoredSecret where ownerId = ?1 order by name", StoredSecret.class)
            .setParameter(1, owner).getResultList());
    }

    /** Binds a ciphertext to its row: it decrypts only as this owner's secret of this name. */
    static String associatedData(String owner, String name) {
        return "handoff-secret:" + owner + ":" + name;
    }

    private static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.invalid("name", "a secret's name is lower-case letters, digits and _ (at most 64), "
                + "starting with a letter, e.g. github_token");
        }
        return name;
    }
}
