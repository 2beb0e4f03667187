package dev.handoff.chat.auth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Whether a first OIDC sign-in with no Handoff account behind it may make one. With
 * {@code handoff.auth.oidc.allowed-email-domains} set: only for an address the provider verified
 * ({@code email_verified: true}) at one of those domains (exactly: a subdomain is listed on its own), whatever
 * {@code handoff.auth.signup-open} says; {@code *} admits anyone the provider signs in. Unset: only while sign-up is
 * open, so a closed Handoff does not open itself to every account at the provider.
 */
public final class OidcSignUpRule {

    static final String PROPERTY = "handoff.auth.oidc.allowed-email-domains";
    static final String ANY = "*";

    private static final Pattern DOMAIN =
        Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$");

    /** Lower-case domains; empty when none are configured. */
    private final Set<String> domains;
    private final boolean anyone;
    private final boolean signupOpen;

    /** @throws IllegalStateException naming the property for an entry that is not a domain */
    public OidcSignUpRule(Optional<List<String>> allowedDomains, boolean signupOpen) {
        Set<String> checked = new TreeSet<>();
        boolean star = false;
        for (String entry : allowedDomains.orElse(List.of())) {
            String domain = entry.strip().toLowerCase(Locale.ROOT);
            domain = domain.startsWith("@") ? domain.substring(1) : domain;
            if (domain.equals(ANY)) {
                star = true;
            } else if (DOMAIN.matcher(domain).matches()) {
                checked.add(domain);
            } else if (!domain.isEmpty()) {
                throw new IllegalStateException(PROPERTY + ": '" + entry.strip() + "' is not an email domain"
                    + " (example.com), nor * for any");
            }
        }
        this.domains = Set.copyOf(checked);
        this.anyone = star;
        this.signupOpen = signupOpen;
    }

    /**
     * @param email the token's address, normalized
     * @return the message shown on the sign-in page when no account may be made for it; empty when one may
     */
    public Optional<String> refusal(String email, boolean emailVerified) {
        if (anyone) {
            return Optional.empty();
        }
        if (domains.isEmpty()) {
            return signupOpen ? Optional.empty() : Optional.of("Sign-up is closed on this Handoff: there is no Handoff"
                + " account for " + email + " yet. Please ask an operator for one.");
        }
        if (!emailVerified) {
            return Optional.of("The provider has not verified your email address " + email + ", and this Handoff"
                + " makes accounts only for verified addresses at its teams' domains. Please verify it at the"
                + " provider, or ask an operator for an account.");
        }
        String domain = email.substring(email.lastIndexOf('@') + 1);
        if (!domains.contains(domain)) {
            return Optional.of("This Handoff makes accounts for its teams' email domains, and " + domain
                + " is not one of them. Please ask an operator for an account.");
        }
        return Optional.empty();
    }
}
