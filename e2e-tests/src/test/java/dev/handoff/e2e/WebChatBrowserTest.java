package dev.handoff.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.SelectOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web chat in a real browser (Debian's Chromium through Playwright) against the real stack: a real Claude
 * Code agent on the fake model. A user creates a project, submits a task, watches the timeline fill and the reply
 * stream in with a tool card and a diff, stops a task, loses the live connection mid-reply and gets the whole
 * conversation without duplicates, and sees agent markup as text; makes a team in settings, adds a member and
 * puts a project in the team from the project form; chooses the project's agent from the agents the server offers, on
 * a phone-wide screen whose top bar keeps Sign out in view. Screenshots: target/screenshots/.
 */
@ExtendWith(SharedStack.class)
class WebChatBrowserTest {

    private static WebBrowser browser;

    /** Replaced in each test by the API of the user the page signed in as. */
    private HandoffApi api = SharedStack.get().api();
    private final String repositoryUrl = SharedStack.get().repositoryUrl();
    private final List<String> pageErrors = new ArrayList<>();
    private BrowserContext context;
    private Page page;

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

    @BeforeEach
    void openPage() {
        context = browser.newContext();
        page = context.newPage();
        page.onPageError(error -> pageErrors.add(error));
        page.onDialog(dialog -> {
            pageErrors.add("unexpected dialog: " + dialog.message());
            dialog.dismiss();
        });
    }

    @AfterEach
    void closePage() {
        context.close();
        assertThat(pageErrors).as("errors in the page's scripts").isEmpty();
    }

    @Test
    void aTaskTypedInTheChatShowsItsTimelineTheStreamedReplyAToolCardAndTheDiff() {
        WebBrowser.Screenshots shots = new WebBrowser.Screenshots("task-in-the-chat");
        api = WebChat.signIn(page, api.baseUrl()).api(api.baseUrl());
        shots.take(page, "projects");

        String projectId = WebChat.createProject(page, "web-app", repositoryUrl);
        shots.take(page, "project-chat");
        String task = "Leave a note for the team " + UUID.randomUUID()
            + " [[write-file web-note.md Notes from **the agent**: all good.]]";
        String sessionId = WebChat.submitTask(page, task);

        Locator timeline = page.locator("[data-testid=timeline]");
        PlaywrightAssertions.assertThat(timeline.locator(".step-done[data-step=queued]")).isVisible();
        PlaywrightAssertions.assertThat(page.locator(".msg-user").first()).containsText("Leave a note for the team");
        shots.take(page, "task-submitted");
        PlaywrightAssertions.assertThat(timeline.locator(".step-done[data-step=creating_workspace]")).isVisible();
        PlaywrightAssertions.assertThat(timeline).containsText("node-");
        PlaywrightAssertions.assertThat(timeline.locator(".step-done[data-step=running]")).isVisible();
        shots.take(page, "agent-started");

        Locator card = page.locator(".tool-card").filter(new Locator.FilterOptions().setHasText("web-note.md"));
        PlaywrightAssertions.assertThat(card.first()).hasAttribute("data-status", "completed");
        Locator diff = card.first().locator("[data-testid=diff]");
        PlaywrightAssertions.assertThat(diff.locator(".diff-path")).containsText("web-note.md");
        PlaywrightAssertions.assertThat(diff.locator(".diff-add")).containsText("Notes from **the agent**: all good.");
        PlaywrightAssertions.assertThat(page.locator(".msg-assistant").last()).containsText("Wrote web-note.md.");
        PlaywrightAssertions.assertThat(WebChat.status(page)).hasAttribute("data-status", "turn_ended");
        PlaywrightAssertions.assertThat(timeline.locator(".step-done[data-step=turn_ended]")).isVisible();
        assertThat(timeline.locator(".step-time").allInnerTexts()).allSatisfy(t -> assertThat(t).isNotBlank());
        shots.take(page, "turn-ended");

        // The tool card collapses to one line and opens again.
        card.first().locator("summary").click();
        PlaywrightAssertions.assertThat(diff).isHidden();
        card.first().locator("summary").click();
        PlaywrightAssertions.assertThat(diff).isVisible();

        // The page shows every stored message once, and the project's session list has this chat.
        assertShowsExactly(sessionId);
        PlaywrightAssertions.assertThat(page.locator("[data-testid=sessions] [data-session='" + sessionId + "']"))
            .isVisible();

        // On a phone-sized screen the sessions sit above the conversation.
        page.setViewportSize(400, 820);
        PlaywrightAssertions.assertThat(page.locator("[data-testid=composer]")).isInViewport();
        shots.take(page, "narrow-screen");

        // The project's edit page changes its name.
        page.setViewportSize(1280, 860);
        page.navigate(api.baseUrl() + "/#/projects/" + projectId + "/edit");
        page.locator("form.project-form input[name=name]").fill("web-app renamed");
        page.locator("form.project-form button[type=submit]").click();
        PlaywrightAssertions.assertThat(page.locator(".sidebar-title")).hasText("web-app renamed");
    }

    @Test
    void settingsShowSecretsNodesAndDeadLettersOrSayWhatIsNotAvailable() {
        WebBrowser.Screenshots shots = new WebBrowser.Screenshots("settings");
        api = WebChat.signIn(page, api.baseUrl()).api(api.baseUrl());
        page.locator("[data-nav=settings]").click();

        for (String section : List.of("Secrets", "Nodes", "Dead letters")) {
            PlaywrightAssertions.assertThat(page.locator("section.settings-section h2").filter(
                new Locator.FilterOptions().setHasText(section))).isVisible();
        }
        PlaywrightAssertions.assertThat(page.locator("input[type=password][name=anthropic_api_key]")).isVisible();
        // Each list shows its rows, or a plain note: never "Loading..." forever.
        PlaywrightAssertions.assertThat(page.locator("section.settings-section").getByText("Loading…")).hasCount(0);
        shots.take(page, "settings");

        // A saved key is never shown again, but that it is set (and since when) is, also after a reload.
        Locator keyRow = page.locator("form:has(input[name=anthropic_api_key])");
        keyRow.locator("input[name=anthropic_api_key]").fill("sk-ant-settings-page-" + UUID.randomUUID());
        keyRow.locator("button[type=submit]").click();
        PlaywrightAssertions.assertThat(keyRow).containsText("set just now");
        page.reload();
        PlaywrightAssertions.assertThat(page.locator("form:has(input[name=anthropic_api_key])"))
            .containsText(Pattern.compile("set \\S"));
        PlaywrightAssertions.assertThat(page.locator("form:has(input[name=anthropic_api_key])"))
            .not().containsText("set just now");
        PlaywrightAssertions.assertThat(page.locator("input[name=anthropic_api_key]")).hasValue("");
        page.locator("form:has(input[name=anthropic_api_key]) button[type=button]").click();
        PlaywrightAssertions.assertThat(page.locator("form:has(input[name=anthropic_api_key])")).containsText("not set");

        // Beside the key, the agent's model endpoint: saved, shown again after a reload, refused when not a URL.
        String gateway = "https://llm-gateway.example.com/anthropic";
        Locator endpoint = page.locator("input[name=model-endpoint-claude-code]");
        Locator endpointRow = page.locator("form:has(input[name=model-endpoint-claude-code])");
        endpoint.fill(gateway);
        endpointRow.locator("button[type=submit]").click();
        PlaywrightAssertions.assertThat(endpointRow).containsText("set just now");
        assertThat(api.get("/api/settings/model-endpoints").body().path("modelEndpoints").get(0).path("url").asText())
            .isEqualTo(gateway);
        page.reload();
        PlaywrightAssertions.assertThat(page.locator("input[name=model-endpoint-claude-code]")).hasValue(gateway);
        page.locator("form:has(input[name=model-endpoint-claude-code]) button[type=button]").click();
        PlaywrightAssertions.assertThat(page.locator("form:has(input[name=model-endpoint-claude-code])"))
            .containsText("not set");
    }

    @Test
    void aTeamMadeInSettingsGetsAMemberAndAProjectFromTheFormThatTheMemberSees() {
        WebBrowser.Screenshots shots = new WebBrowser.Screenshots("teams");
        api = WebChat.signIn(page, api.baseUrl()).api(api.baseUrl());
        HandoffApi colleague = new HandoffApi(api.baseUrl());
        colleague.userId();
        String teamName = "web team " + UUID.randomUUID().toString().substring(0, 8);
        page.locator("[data-nav=settings]").click();

        Locator teams = page.locator("section.settings-section:has([data-testid=teams])");
        teams.locator("input[name=name]").fill(teamName);
        teams.getByText("Create team").click();
        Locator team = teams.locator("[data-testid=team]").filter(new Locator.FilterOptions().setHasText(teamName));
        PlaywrightAssertions.assertThat(team).containsText("you: owner");
        team.locator("input[name=email]").fill("nobody-" + UUID.randomUUID() + "@handoff.test");
        team.getByText("Add member").click();
        PlaywrightAssertions.assertThat(team.locator("input[name=email].invalid")).isVisible();
        PlaywrightAssertions.assertThat(teams.locator("[role=alert]")).containsText("no Handoff account");
        team.locator("input[name=email]").fill(colleague.email());
        team.getByText("Add member").click();
        team = teams.locator("[data-testid=team]").filter(new Locator.FilterOptions().setHasText(teamName));
        PlaywrightAssertions.assertThat(team.locator("[data-testid=team-member]")).hasCount(2);
        PlaywrightAssertions.assertThat(team).containsText(colleague.email());
        shots.take(page, "settings-teams");

        page.locator("[data-nav=projects]").click();
        Locator form = page.locator("form.project-form");
        String projectName = "team-web-" + UUID.randomUUID().toString().substring(0, 8);
        form.locator("input[name=name]").fill(projectName);
        form.locator("input[name=repositoryUrl]").fill(repositoryUrl);
        form.locator("select[name=teamId]").selectOption(new SelectOption().setLabel("Team " + teamName));
        form.locator("button[type=submit]").click();
        page.waitForURL(Pattern.compile("#/projects/[0-9a-f-]{36}$"));
        page.locator("[data-nav=projects]").click();
        Locator card = page.locator(".project-card").filter(new Locator.FilterOptions().setHasText(projectName));
        PlaywrightAssertions.assertThat(card.locator("[data-testid=project-team]")).hasText(teamName);
        shots.take(page, "team-project");

        assertThat(colleague.get("/api/projects").body()).anySatisfy(project -> {
            assertThat(project.path("name").asText()).isEqualTo(projectName);
            assertThat(project.path("teamName").asText()).isEqualTo(teamName);
        });
    }

    @Test
    void theProjectFormOffersThisHandoffsAgentsAndANarrowScreenKeepsSignOutInView() {
        WebBrowser.Screenshots shots = new WebBrowser.Screenshots("narrow-and-agents");
        page.setViewportSize(390, 844);
        api = WebChat.signIn(page, api.baseUrl()).api(api.baseUrl());

        // A phone-wide screen: the whole top bar is in view, Sign out too, and nothing scrolls sideways.
        Locator signOut = page.locator("#account button").filter(new Locator.FilterOptions().setHasText("Sign out"));
        PlaywrightAssertions.assertThat(signOut).isVisible();
        var box = signOut.boundingBox();
        assertThat(box.x).isNotNegative();
        assertThat(box.x + box.width).as("Sign out's right edge within 390 px").isLessThanOrEqualTo(390);
        assertThat(page.locator(".brand").boundingBox().x).isNotNegative();
        assertThat((Number) page.evaluate("document.documentElement.scrollWidth")).as("no sideways scroll")
            .satisfies(width -> assertThat(width.intValue()).isLessThanOrEqualTo(390));
        shots.take(page, "narrow-top-bar");

        // The default agent is a choice of the agents the server offers, the server's default chosen.
        JsonNode offered = api.get("/api/agents").body();
        List<String> available = new ArrayList<>();
        offered.path("available").forEach(agent -> available.add(agent.asText()));
        assertThat(available).contains("claude-code", "codex", "gemini-cli");
        Locator agent = page.locator("form.project-form select[name=defaultAgent]");
        PlaywrightAssertions.assertThat(agent.locator("option")).hasCount(available.size());
        assertThat(agent.locator("option").evaluateAll("options => options.map(o => o.value)"))
            .isEqualTo(available);
        PlaywrightAssertions.assertThat(agent).hasValue(offered.path("defaultAgent").asText());
        assertThat(agent.locator("option[value=gemini-cli]").textContent()).isEqualTo("Gemini CLI");

        String projectName = "agent-choice-" + UUID.randomUUID().toString().substring(0, 8);
        Locator form = page.locator("form.project-form");
        form.locator("input[name=name]").fill(projectName);
        form.locator("input[name=repositoryUrl]").fill(repositoryUrl);
        agent.selectOption("codex");
        shots.take(page, "agent-choice");
        form.locator("button[type=submit]").click();
        page.waitForURL(Pattern.compile("#/projects/[0-9a-f-]{36}$"));
        String projectId = page.url().replaceAll(".*#/projects/", "");
        assertThat(api.get("/api/projects/" + projectId).body().path("defaultAgent").asText()).isEqualTo("codex");

        // Editing keeps the project's agent chosen.
        page.navigate(api.baseUrl() + "/#/projects/" + projectId + "/edit");
        PlaywrightAssertions.assertThat(page.locator("form.project-form select[name=defaultAgent]")).hasValue("codex");
    }

    @Test
    void theStopButtonCancelsARunningTask() {
        WebBrowser.Screenshots shots = new WebBrowser.Screenshots("stop");
        api = WebChat.signIn(page, api.baseUrl()).api(api.baseUrl());
        WebChat.createProject(page, "stop-me", repositoryUrl);
        WebChat.submitTask(page, "Count to a thousand [[slow-reply 1000]]");

        PlaywrightAssertions.assertThat(page.locator(".msg-assistant.streaming")).containsText("Line 2 of 1000.");
        shots.take(page, "streaming");
        page.locator("[data-testid=stop]").click();

        PlaywrightAssertions.assertThat(WebChat.status(page)).hasAttribute("data-status", "cancelled");
        PlaywrightAssertions.assertThat(page.locator(".msg-system").last()).containsText("The task was cancelled.");
        PlaywrightAssertions.assertThat(page.locator("[data-testid=stop]")).isHidden();
        assertThat(WebChat.messages(page).innerText()).doesNotContain("Line 1000 of 1000.");
        shots.take(page, "cancelled");
    }

    @Test
    void aConversationCutMidReplyEndsCompleteWithoutDuplicates() throws Exception {
        URI chat = URI.create(api.baseUrl());
        try (CuttableProxy network = new CuttableProxy(chat.getHost(), chat.getPort())) {
            WebBrowser.Screenshots shots = new WebBrowser.Screenshots("reconnect");
            api = WebChat.signIn(page, network.url()).api(api.baseUrl());
            WebChat.createProject(page, "flaky-network", repositoryUrl);
            int lines = 150;
            String sessionId = WebChat.submitTask(page, "Count for me [[slow-reply " + lines + "]]");
            PlaywrightAssertions.assertThat(page.locator(".msg-assistant.streaming")).containsText("Line 3 of " + lines);
            PlaywrightAssertions.assertThat(page.locator("[data-testid=connection]")).hasAttribute("data-state", "live");

            network.cut();
            PlaywrightAssertions.assertThat(page.locator("[data-testid=connection]"))
                .not().hasAttribute("data-state", "live");
            String shownWhenCut = WebChat.messages(page).innerText();
            // The reply goes on while the page is cut off.
            await("the reply went on while the page was offline").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> assistantText(sessionId).contains("Line " + (lines / 2) + " of " + lines + "."));
            assertThat(WebChat.messages(page).innerText()).isEqualTo(shownWhenCut);
            shots.take(page, "cut-off");

            network.restore();
            PlaywrightAssertions.assertThat(page.locator("[data-testid=connection]")).hasAttribute("data-state", "live");
            PlaywrightAssertions.assertThat(WebChat.status(page)).hasAttribute("data-status", "turn_ended");
            PlaywrightAssertions.assertThat(WebChat.messages(page)).containsText("Line " + lines + " of " + lines + ".");
            await("every message complete").atMost(Duration.ofSeconds(30)).until(() ->
                api.messages(sessionId).stream().allMatch(m -> m.path("complete").asBoolean()));
            PlaywrightAssertions.assertThat(page.locator(".msg.streaming")).hasCount(0);
            shots.take(page, "restored");

            String shown = WebChat.messages(page).innerText();
            for (int i = 1; i <= lines; i++) {
                assertThat(count(shown, "Line " + i + " of " + lines + ".")).as("line " + i + " shown once")
                    .isEqualTo(1);
            }
            assertShowsExactly(sessionId);
        }
    }

    @Test
    void markupFromTheAgentIsShownAsTextAndRunsNothing() {
        WebBrowser.Screenshots shots = new WebBrowser.Screenshots("untrusted-output");
        api = WebChat.signIn(page, api.baseUrl()).api(api.baseUrl());
        WebChat.createProject(page, "xss", repositoryUrl);
        String markup = "Look: <script>window.__handoffXss='script'</script> "
            + "<img src=x onerror=\"window.__handoffXss='img'\"> [click me](javascript:window.__handoffXss='link') "
            + "and [a real link](https://example.com/docs) and **bold**";
        WebChat.submitTask(page, "Show this [[say " + markup + "]]");

        Locator reply = page.locator(".msg-assistant").filter(new Locator.FilterOptions().setHasText("Look:"));
        PlaywrightAssertions.assertThat(reply).containsText("<script>window.__handoffXss='script'</script>");
        PlaywrightAssertions.assertThat(WebChat.status(page)).hasAttribute("data-status", "turn_ended");
        PlaywrightAssertions.assertThat(reply).containsText("<img src=x onerror=\"window.__handoffXss='img'\">");
        PlaywrightAssertions.assertThat(reply.locator("strong")).hasText("bold");
        PlaywrightAssertions.assertThat(reply.locator("a")).hasCount(1);
        PlaywrightAssertions.assertThat(reply.locator("a")).hasAttribute("href", "https://example.com/docs");
        PlaywrightAssertions.assertThat(reply.locator("a")).hasAttribute("rel", "noopener noreferrer nofollow");
        assertThat(WebChat.messages(page).locator("script, img, iframe, object, embed, [onerror]").count()).isZero();
        assertThat(page.locator("a[href^='javascript']").count()).isZero();
        reply.getByText("click me").first().click();
        assertThat(page.evaluate("() => window.__handoffXss === undefined")).isEqualTo(true);
        shots.take(page, "markup-as-text");
    }

    @Test
    void aPermissionAnsweredInThePageLetsTheAgentWriteThenAFollowUpGetsItsAnswerAndTheBranchIsShown() {
        WebBrowser.Screenshots shots = new WebBrowser.Screenshots("permission-and-follow-up");
        api = WebChat.signIn(page, api.baseUrl()).api(api.baseUrl());
        String projectId = WebChat.createProject(page, "asking-app", repositoryUrl, "ask");
        assertThat(api.get("/api/projects/" + projectId).body().path("permissionPolicy").asText()).isEqualTo("ask");

        String marker = UUID.randomUUID().toString();
        String sessionId = WebChat.submitTask(page, "Write the release note " + marker
            + " [[write-file release-note.md Approved by the user.]]");

        // The agent asks before it writes: a card with the agent's options, the task waits for the user.
        Locator card = page.locator(".permission-card[data-state=pending]");
        PlaywrightAssertions.assertThat(card).isVisible();
        PlaywrightAssertions.assertThat(WebChat.status(page)).hasAttribute("data-status", "waiting_for_permission");
        shots.take(page, "permission-asked");
        Locator allow = card.locator("button.btn-primary").first();
        String optionId = allow.getAttribute("data-option");
        allow.click();

        // The user's choice reaches the agent: the card shows the answer, the Write runs and its diff appears.
        PlaywrightAssertions.assertThat(page.locator(".permission-card[data-state=answered]")).isVisible();
        Locator tool = page.locator(".tool-card").filter(new Locator.FilterOptions().setHasText("release-note.md"));
        PlaywrightAssertions.assertThat(tool.first()).hasAttribute("data-status", "completed");
        PlaywrightAssertions.assertThat(tool.first().locator("[data-testid=diff] .diff-add"))
            .containsText("Approved by the user.");
        PlaywrightAssertions.assertThat(WebChat.status(page)).hasAttribute("data-status", "turn_ended");
        assertThat(api.messages(sessionId)).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("permission");
            assertThat(m.path("data").path("chosenOptionId").asText()).isEqualTo(optionId);
        });
        shots.take(page, "permission-answered-diff");

        // The turn's work is on its branch, shown under the conversation.
        PlaywrightAssertions.assertThat(page.locator("[data-testid=turn-result]")).containsText("handoff/");
        shots.take(page, "branch");

        // A follow-up goes to the same agent and its answer streams in after the first turn's.
        Locator composer = page.locator("[data-testid=composer]");
        composer.fill("FOLLOW-UP " + marker + ": and a line about the tests");
        composer.press("Enter");
        PlaywrightAssertions.assertThat(page.locator(".msg-assistant").last())
            .containsText("FOLLOW-UP " + marker + ": and a line about the tests");
        PlaywrightAssertions.assertThat(WebChat.status(page)).hasAttribute("data-status", "turn_ended");
        assertShowsExactly(sessionId);
        shots.take(page, "follow-up-answered");
    }

    /**
     * Every stored message is on the page exactly once, in seq order. Messages may still arrive after the turn
     * ended (the branch publisher's note), so the page gets until the live stream brings them; never a duplicate.
     */
    private void assertShowsExactly(String sessionId) {
        await("the page shows exactly the stored messages").atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                List<String> stored = api.messages(sessionId).stream().map(m -> m.path("seq").asText()).toList();
                List<String> shown = WebChat.messages(page).locator("[data-seq]").all().stream()
                    .map(el -> el.getAttribute("data-seq")).toList();
                assertThat(shown).doesNotHaveDuplicates();
                assertThat(shown).containsExactlyElementsOf(stored);
            });
    }

    private String assistantText(String sessionId) {
        return api.messages(sessionId).stream().filter(m -> m.path("role").asText().equals("assistant"))
            .map(m -> m.path("content").asText()).reduce("", String::concat);
    }

    private static int count(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

}
