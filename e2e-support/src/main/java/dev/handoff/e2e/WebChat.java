package dev.handoff.e2e;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.handoff.localstack.ApiSignIn;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a user does in the web chat, step by step, as the browser tests use it. */
final class WebChat {

    private static final Pattern PROJECT_PAGE = Pattern.compile("#/projects/([0-9a-f-]{36})$");
    private static final Pattern SESSION_PAGE = Pattern.compile("#/projects/([0-9a-f-]{36})/sessions/([0-9a-f-]{36})$");

    private WebChat() {
    }

    /**
     * The one place the browser tests sign in: a new account made through the public sign-up, then the sign-in
     * page ({@code #/signin}: email, password, Enter) as a user fills it; the projects page must follow.
     */
    /** A signed-up account; {@link #api} calls the API as the same user the page is signed in as. */
    record Account(String email, String password) {
        HandoffApi api(String baseUrl) {
            return HandoffApi.signIn(baseUrl, email, password);
        }
    }

    static Account signIn(Page page, String baseUrl) {
        // A fresh account for each page (through the public sign-up), then the sign-in page as a user sees it.
        String email = "web-" + UUID.randomUUID() + "@handoff.test";
        String password = "pw-" + UUID.randomUUID();
        ApiSignIn.signUpForToken(baseUrl, email, password, "Web user");
        page.navigate(baseUrl + "/#/signin");
        page.locator("input[name=email]").fill(email);
        page.locator("input[name=password]").fill(password);
        page.locator("input[name=password]").press("Enter");
        page.locator("[data-testid=project-list]").waitFor();
        return new Account(email, password);
    }

    /** Fills the new-project form; returns the new project's id once its chat page is open. */
    static String createProject(Page page, String name, String repositoryUrl) {
        return createProject(page, name, repositoryUrl, "allow");
    }

    /** As {@link #createProject(Page, String, String)}, choosing the permission policy ({@code allow} or {@code ask}). */
    static String createProject(Page page, String name, String repositoryUrl, String permissionPolicy) {
        Locator form = page.locator("form.project-form");
        form.locator("input[name=name]").fill(name);
        form.locator("input[name=repositoryUrl]").fill(repositoryUrl);
        form.locator("input[name=defaultBranch]").fill("main");
        form.locator("select[name=permissionPolicy]").selectOption(permissionPolicy);
        form.locator("button[type=submit]").click();
        page.waitForURL(PROJECT_PAGE);
        Matcher matcher = PROJECT_PAGE.matcher(page.url());
        matcher.find();
        return matcher.group(1);
    }

    /** Types into the message box and sends with Enter; returns the session id once its page is open. */
    static String submitTask(Page page, String text) {
        Locator composer = page.locator("[data-testid=composer]");
        composer.fill(text);
        composer.press("Enter");
        page.waitForURL(SESSION_PAGE);
        return sessionId(page);
    }

    static String sessionId(Page page) {
        Matcher matcher = SESSION_PAGE.matcher(page.url());
        if (!matcher.find()) {
            throw new IllegalStateException("not on a session page: " + page.url());
        }
        return matcher.group(2);
    }

    static Locator status(Page page) {
        return page.locator("[data-testid=task-status]");
    }

    static Locator messages(Page page) {
        return page.locator("[data-testid=messages]");
    }
}
