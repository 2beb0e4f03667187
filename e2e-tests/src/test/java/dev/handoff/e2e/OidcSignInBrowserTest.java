package dev.handoff.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.handoff.localstack.FakeOidcProvider;
import dev.handoff.localstack.FakeOidcProvider.User;
import dev.handoff.localstack.HandoffStack;
import dev.handoff.localstack.ScriptedReplies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Team sign-in in a real browser (Debian's Chromium through Playwright): the sign-in page's "Sign in with Company
 * SSO" button, the fake OIDC provider's sign-in form, and back in the web chat signed in, where the user creates a
 * project and gets the agent's answer to a task. Signing in again is the same account; another person at the
 * provider is another account that sees none of the first one's projects; cancelling at the provider ends on the
 * sign-in page with a message. Screenshots: target/screenshots/oidc-sign-in/.
 */
@ExtendWith(SharedStack.class)
class OidcSignInBrowserTest {

    private static WebBrowser browser;

    private final HandoffStack stack = SharedStack.get().stack();
    private final String url = stack.chatUrl();
    private final FakeOidcProvider provider = stack.oidcProvider().orElseThrow();
    private final List<String> pageErrors = new ArrayList<>();

    @BeforeAll
    static void startBrowser() {
        PlaywrightAssertions.setDefaultAssertionTimeout(Duration.ofMinutes(3).toMillis());
        browser = new WebBrowser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aTeamMemberSignsInWithTheProviderAndWorksInTheWebChat() {
        WebBrowser.Screenshots shots = new WebBrowser.Screenshots("oidc-sign-in");
        User alice = newUser("Alice");
        String projectName = "sso-project-" + UUID.randomUUID().toString().substring(0, 8);

        try (BrowserContext context = browser.newContext()) {
            Page page = open(context);
            signInWithProvider(page, alice, shots);
            PlaywrightAssertions.assertThat(page.locator("[data-testid=project-list]")).isVisible();
            shots.take(page, "signed-in");

            WebChat.createProject(page, projectName, SharedStack.get().repositoryUrl());
            String task = "Say hello to the team " + UUID.randomUUID();
            WebChat.submitTask(page, task);
            PlaywrightAssertions.assertThat(page.locator(".msg-assistant").filter(new Locator.FilterOptions()
                .setHasText(ScriptedReplies.DEFAULT_PREFIX + " " + task)).first()).isVisible();
            PlaywrightAssertions.assertThat(WebChat.status(page)).hasAttribute("data-status", "turn_ended");
            shots.take(page, "agent-answered");
        }

        // A new browser, the same person at the provider: the same account, with its project.
        try (BrowserContext context = browser.newContext()) {
            Page page = open(context);
            signInWithProvider(page, alice, shots);
            PlaywrightAssertions.assertThat(page.locator("[data-testid=project-list]")).containsText(projectName);
        }

        // Another person at the provider: their own account, none of Alice's projects.
        User bob = newUser("Bob");
        try (BrowserContext context = browser.newContext()) {
            Page page = open(context);
            signInWithProvider(page, bob, shots);
            PlaywrightAssertions.assertThat(page.locator("[data-testid=project-list]")).isVisible();
            PlaywrightAssertions.assertThat(page.locator("[data-testid=project-list]")).not().containsText(projectName);
            shots.take(page, "second-person");
        }
        assertThat(pageErrors).as("errors in the page's scripts").isEmpty();
    }

    @Test
    void cancellingAtTheProviderEndsOnTheSignInPageWithAMessage() {
        WebBrowser.Screenshots shots = new WebBrowser.Screenshots("oidc-cancelled");
        try (BrowserContext context = browser.newContext()) {
            Page page = open(context);
            page.navigate(url + "/#/signin");
            page.locator("[data-testid=oidc-signin]").click();
            page.locator("input[name=username]").waitFor();
            page.locator("button[value=deny]").click();

            PlaywrightAssertions.assertThat(page.locator("[data-testid=signin-error]"))
                .hasText("Sign-in with Company SSO was cancelled.");
            PlaywrightAssertions.assertThat(page.locator("input[name=email]")).isVisible();
            shots.take(page, "cancelled");
        }
        assertThat(pageErrors).as("errors in the page's scripts").isEmpty();
    }

    /** The sign-in page's provider button, the provider's form as the user fills it, back in the projects page. */
    private void signInWithProvider(Page page, User user, WebBrowser.Screenshots shots) {
        page.navigate(url + "/#/signin");
        PlaywrightAssertions.assertThat(page.locator("[data-testid=oidc-signin]")).hasText("Sign in with Company SSO");
        page.locator("[data-testid=oidc-signin]").click();
        page.locator("input[name=username]").fill(user.login());
        shots.take(page, "at-the-provider");
        page.locator("button[value=approve]").click();
        page.locator("[data-testid=project-list]").waitFor();
        assertThat(page.url()).startsWith(url).endsWith("#/projects");
    }

    private Page open(BrowserContext context) {
        Page page = context.newPage();
        page.onPageError(pageErrors::add);
        return page;
    }

    private User newUser(String name) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        User user = new User(name.toLowerCase() + "-" + id, "subject-" + UUID.randomUUID(),
            name.toLowerCase() + "-" + id + "@team.test", true, name + " " + id);
        provider.addUser(user);
        return user;
    }
}
