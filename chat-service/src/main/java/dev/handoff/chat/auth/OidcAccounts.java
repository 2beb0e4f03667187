package dev.handoff.chat.auth;

import dev.handoff.chat.repository.AccountRepository;
import dev.handoff.chat.repository.OidcLink;
import dev.handoff.chat.repository.OidcLinkRepository;
import dev.handoff.chat.repository.UserAccount;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The Handoff account of a person signed in at the OIDC provider, found by the ID token's (issuer, subject).
 * On the first sign-in: an existing local account with the token's email is linked only when the provider says
 * the address is verified ({@code email_verified: true}); otherwise a new account is made from the token's email
 * and name (no password: it signs in only through the provider), when {@link OidcSignUpRule} admits the address
 * (allowed email domains, else open sign-up). An unverified email that an account already
 * has is refused, so nobody takes over an account by typing its address at a provider; so is a verified one whose
 * account is already linked to another identity (someone made it through the provider first, perhaps with an
 * unverified address: they are not to share it with the address' owner). All of it in one
 * transaction: a refused or failed sign-in leaves no account and no link behind.
 */
@ApplicationScoped
public class OidcAccounts {

    private static final Logger LOG = Logger.getLogger(OidcAccounts.class);

    /** What Handoff reads from a verified ID token. */
    public record OidcIdentity(String issuer, String subject, String email, boolean emailVerified, String name) {
    }

    /** A sign-in Handoff will not complete; the message is shown on the sign-in page. */
    public static final class SignInRefused extends RuntimeException {
        public SignInRefused(String message) {
            super(message, null, false, false);
        }
    }

    @Inject
    AccountRepository accounts;

    @Inject
    OidcLinkRepository links;

    @Inject
    AuthConfig config;

    private OidcSignUpRule signUpRule;

    @PostConstruct
    void init() {
        signUpRule = new OidcSignUpRule(config.oidc().allowedEmailDomains(), config.signupOpen());
    }

    /** The linked (or newly linked or created) account. @throws SignInRefused (as the Uni's failure) */
    public Uni<AuthenticatedUser> accountFor(OidcIdentity identity) {
        if (identity.subject() == null || identity.subject().isBlank()) {
            return Uni.createFrom().failure(new SignInRefused("The provider's answer named no user (no subject)."));
        }
        return Panache.withTransaction(() -> links.userLinkedTo(identity.issuer(), identity.subject())
            .flatMap(linked -> linked != null ? Uni.createFrom().item(linked) : firstSignIn(identity)))
            .map(AuthenticatedUser::of);
    }

    private Uni<UserAccount> firstSignIn(OidcIdentity identity) {
        String email = normalizedEmail(identity.email());
        if (email == null) {
            return Uni.createFrom().failure(new SignInRefused("The provider did not share an email address;"
                + " Handoff needs one (the 'email' scope) to make your account."));
        }
        return accounts.userByEmail(email).flatMap(existing -> {
            if (existing == null) {
                Optional<String> refused = signUpRule.refusal(email, identity.emailVerified());
                if (refused.isPresent()) {
                    LOG.infof("first OIDC sign-in at %s made no account: sign-up closed, or the address's domain"
                        + " not allowed or not verified", identity.issuer());
                    return Uni.createFrom().failure(new SignInRefused(refused.get()));
                }
                return create(identity, email).flatMap(account -> link(identity, account));
            }
            if (!identity.emailVerified()) {
                return Uni.createFrom().failure(new SignInRefused("An account with " + email + " already exists,"
                    + " and the provider has not verified that this address is yours. Sign in with your password."));
            }
            return links.hasLink(existing.id).flatMap(linked -> {
                if (linked) {
                    // Made by (or linked to) another identity at the provider: whoever that is keeps signing in to
                    // it, so a second identity claiming the address is not let in beside them.
                    LOG.infof("account %s is linked to another OIDC identity; not linking subject %s at %s",
                        existing.id, identity.subject(), identity.issuer());
                    return Uni.createFrom().failure(new SignInRefused("An account with " + email + " already signs"
                        + " in through the provider as another user. Please ask an operator."));
                }
                LOG.infof("linking account %s to its OIDC identity at %s", existing.id, identity.issuer());
                return link(identity, existing);
            });
        });
    }

    private Uni<UserAccount> create(OidcIdentity identity, String email) {
        UserAccount account = new UserAccount();
        account.id = UUID.randomUUID().toString();
        account.email = email;
        String name = identity.name() == null ? "" : identity.name().strip();
        account.name = name.isEmpty() ? email : name.length() > 200 ? name.substring(0, 200) : name;
        account.operator = false;
        account.passwordHash = null;
        account.createdAt = Instant.now();
        LOG.infof("creating account %s for a first OIDC sign-in at %s", account.id, identity.issuer());
        return accounts.persist(account);
    }

    private Uni<UserAccount> link(OidcIdentity identity, UserAccount account) {
        OidcLink link = new OidcLink();
        link.id = UUID.randomUUID().toString();
        link.issuer = identity.issuer();
        link.subject = identity.subject();
        link.userId = account.id;
        link.createdAt = Instant.now();
        return accounts.persist(link).replaceWith(account);
    }

    private static String normalizedEmail(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        try {
            return AccountService.requireEmail(email);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
