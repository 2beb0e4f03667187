package dev.handoff.chat.auth;

import dev.handoff.chat.repository.AccountRepository;
import dev.handoff.chat.repository.UserAccount;
import dev.handoff.chat.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Local accounts: sign-up, password sign-in, password change, and the bootstrap operator. */
@ApplicationScoped
public class AccountService {

    public static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 1024;

    private static final Logger LOG = Logger.getLogger(AccountService.class);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    @Inject
    AccountRepository accounts;

    @Inject
    AuthConfig config;

    @Inject
    PasswordHashing hashing;

    @Inject
    SignInThrottle throttle;

    private PasswordHasher hasher;

    /** Verified against when the email is unknown, so a wrong email takes as long as a wrong password. */
    private String decoyHash;

    @PostConstruct
    void init() {
        hasher = new PasswordHasher(config.argon2().memoryKib(), config.argon2().iterations(),
            config.argon2().parallelism());
        decoyHash = hasher.hash(OpaqueSecrets.random256());
    }

    /** A new account when sign-up is open: 403 when closed, 409 when the email is taken. */
    public Uni<AuthenticatedUser> signUp(String email, String password, String name) {
        if (!config.signupOpen()) {
            throw new ApiException(403, null, "sign-up is closed on this Handoff; ask an operator for an account");
        }
        return create(email, password, name, false);
    }

    /** Creates an account; 409 (field email) when one has that email. */
    public Uni<AuthenticatedUser> create(String email, String password, String name, boolean operator) {
        String normalized = requireEmail(email);
        String checkedName = name == null || name.isBlank() ? normalized : requireLength("name", name.strip(), 200);
        requirePassword("password", password);
        return hashing.run(() -> hasher.hash(password)).flatMap(hash -> Panache.withTransaction(() ->
            accounts.userByEmail(normalized).flatMap(existing -> {
                if (existing != null) {
                    throw new ApiException(409, "email", "an account with this email exists");
                }
                UserAccount account = new UserAccount();
                account.id = UUID.randomUUID().toString();
                account.email = normalized;
                account.name = checkedName;
                account.operator = operator;
                account.passwordHash = hash;
                account.createdAt = Instant.now();
                return accounts.persist(account);
            }))).map(AuthenticatedUser::of);
    }

    /**
     * The account with this email and password; 401 otherwise, the same answer for a wrong email or password. Each
     * attempt counts against the account and {@code clientAddress} first (429 beyond the limit), and the password is
     * checked on the bounded hashing pool (503 when it is full; that attempt is not counted).
     */
    public Uni<AuthenticatedUser> checkPassword(String email, String password, String clientAddress) {
        if (email == null || password == null || password.length() > MAX_PASSWORD) {
            throw new ApiException(401, null, "wrong email or password");
        }
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        SignInThrottle.Subjects subjects = SignInThrottle.subjects(normalized, clientAddress);
        return throttle.admit(subjects)
            .flatMap(admitted -> Panache.withSession(() -> accounts.userByEmail(normalized)))
            .flatMap(account -> hashing.run(() -> PasswordHasher.verify(password,
                    account == null || account.passwordHash == null ? decoyHash : account.passwordHash))
                .onFailure(PasswordHashing::isBusy).call(busy -> throttle.notChecked(subjects))
                .flatMap(matches -> {
                    if (!matches || account == null || account.passwordHash == null) {
                        return Uni.createFrom().failure(new ApiException(401, null, "wrong email or password"));
                    }
                    return throttle.succeeded(subjects).replaceWith(AuthenticatedUser.of(account));
                }));
    }

    /**
     * Replaces the user's password when {@code currentPassword} is theirs, and ends every browser session of the account
     * but {@code keptSessionCookie} (the caller's own; null ends them all). API tokens are left alone (docs/security.md).
     * A new password follows sign-up's rule (400 naming {@code newPassword}). The current password is checked like a
     * sign-in: counted against the account and {@code clientAddress} first (429 beyond the limit), on the bounded
     * hashing pool (503 when full), and a wrong one is 403 naming {@code currentPassword}. The new hash is written only
     * over the hash that was checked, so of two changes racing from the same password one wins and the other is 409.
     *
     * @return how many other browser sessions ended
     */
    public Uni<Integer> changePassword(AuthenticatedUser user, String currentPassword, String newPassword,
                                       String keptSessionCookie, String clientAddress) {
        if (currentPassword == null || currentPassword.isEmpty()) {
            throw ApiException.invalid("currentPassword", "currentPassword is required");
        }
        requirePassword("newPassword", newPassword);
        SignInThrottle.Subjects subjects = SignInThrottle.subjects(user.email(), clientAddress);
        return Panache.withSession(() -> accounts.userById(user.id())).flatMap(account -> {
            if (account == null || account.passwordHash == null) {
                return Uni.createFrom().failure(new ApiException(403, "currentPassword",
                    "this account has no password: it signs in through single sign-on only"));
            }
            String checkedHash = account.passwordHash;
            return throttle.admit(subjects)
                .flatMap(admitted -> hashing.run(() -> currentPassword.length() <= MAX_PASSWORD
                    && PasswordHasher.verify(currentPassword, checkedHash) ? hasher.hash(newPassword) : null))
                .onFailure(PasswordHashing::isBusy).call(busy -> throttle.notChecked(subjects))
                .flatMap(newHash -> {
                    if (newHash == null) {
                        return Uni.createFrom().failure(new ApiException(403, "currentPassword",
                            "the current password is wrong"));
                    }
                    String kept = keptSessionCookie == null ? null : OpaqueSecrets.sha256(keptSessionCookie);
                    return throttle.succeeded(subjects).flatMap(cleared -> Panache.withTransaction(() ->
                        accounts.replacePasswordHash(user.id(), checkedHash, newHash).flatMap(replaced -> {
                            if (replaced == 0) {
                                return Uni.createFrom().failure(ApiException.conflict(
                                    "the password was changed by another request meanwhile; sign in again"));
                            }
                            return accounts.deleteSessionsOfUserExcept(user.id(), kept);
                        })));
                })
                .invoke(ended -> LOG.infof("account %s changed its password; %d of its browser sessions ended",
                    user.id(), ended));
        });
    }

    /** Creates the configured operator unless an account has its email; call from a Vert.x context. */
    public Uni<Void> ensureBootstrapOperator() {
        if (config.bootstrap().email().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String email = requireEmail(config.bootstrap().email().get());
        String password = config.bootstrap().password().orElseThrow(() -> new IllegalStateException(
            "handoff.auth.bootstrap.password is required with handoff.auth.bootstrap.email"));
        return Panache.withSession(() -> accounts.userByEmail(email)).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("creating the bootstrap operator %s", email);
            return create(email, password, config.bootstrap().name(), true).replaceWithVoid();
        });
    }

    static String requireEmail(String email) {
        if (email == null || email.isBlank()) {
            throw ApiException.invalid("email", "email is required");
        }
        String normalized = requireLength("email", email.strip(), 320).toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(normalized).matches()) {
            throw ApiException.invalid("email", "email must look like name@domain");
        }
        return normalized;
    }

    /** Sign-up's rule for a new password, named {@code field} in the refusal. */
    static void requirePassword(String field, String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw ApiException.invalid(field, field + " must have at least " + MIN_PASSWORD + " characters");
        }
        requireLength(field, password, MAX_PASSWORD);
    }

    private static String requireLength(String field, String value, int max) {
        if (value.length() > max) {
            throw ApiException.invalid(field, field + " is longer than " + max + " characters");
        }
        return value;
    }
}
