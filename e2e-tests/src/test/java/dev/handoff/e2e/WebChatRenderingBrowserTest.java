package dev.handoff.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the web chat draws each kind of message, in Chromium with the page's own modules (served by chat-service):
 * markdown, plans as checklists, thinking collapsed, tool cards, diffs and permission cards, including the roles
 * whose producers (permission requests, plans) the fake model cannot make yet. Messages are built as the API
 * returns them (docs/api.md "Messages").
 */
@ExtendWith(SharedStack.class)
class WebChatRenderingBrowserTest {

    private static WebBrowser browser;

    private final HandoffApi api = SharedStack.get().api();
    private final List<String> pageErrors = new ArrayList<>();
    private BrowserContext context;
    private Page page;

    @BeforeAll
    static void startBrowser() {
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
        page.onPageError(pageErrors::add);
        WebChat.signIn(page, api.baseUrl());
    }

    @AfterEach
    void closePage() {
        context.close();
        assertThat(pageErrors).isEmpty();
    }

    /** Renders one message with the page's renderMessage; returns its outer HTML. */
    private String render(String messageJson) {
        return (String) page.evaluate("async json => {"
            + " const {renderMessage} = await import('/js/messages.js');"
            + " const el = renderMessage(JSON.parse(json), {isOpen: () => undefined, onToggle() {},"
            + "   answerPermission() {}});"
            + " document.getElementById('app').replaceChildren(el);"
            + " return el.outerHTML; }", messageJson);
    }

    private String markdown(String source) {
        return (String) page.evaluate("async source => {"
            + " const {renderMarkdown} = await import('/js/markdown.js');"
            + " const div = document.createElement('div'); div.append(renderMarkdown(source));"
            + " return div.innerHTML; }", source);
    }

    @Test
    void markdownBecomesSafeElements() {
        String html = markdown("""
            ## Plan
            Some **bold**, *em*, `code` and a [link](https://example.com/a?b=c).

            - [x] done
            - [ ] todo
              - nested

            1. first
            2. second

            > quoted

            ```js
            const x = "<b>not bold</b>";
            ```

            | a | b |
            |---|---|
            | 1 | 2 |

            <div onclick="x()">raw html</div> [bad](javascript:alert(1)) [data](data:text/html,hi)
            """);
        assertThat(html).contains("<h4>Plan</h4>", "<strong>bold</strong>", "<em>em</em>", "<code>code</code>",
            "href=\"https://example.com/a?b=c\"", "<blockquote>", "<ol>", "<table>", "<th>a</th>", "<td>2</td>",
            "type=\"checkbox\"", "const x = \"&lt;b&gt;not bold&lt;/b&gt;\";",
            "&lt;div onclick=\"x()\"&gt;raw html&lt;/div&gt;");
        // Raw HTML stays text; links with other schemes than http(s) keep only their label.
        assertThat(html).doesNotContain("javascript:", "data:text", "<div onclick", "<b>");
        assertThat(html).contains("<ul><li>nested</li></ul>");
    }

    @Test
    void eachRoleHasItsOwnShape() {
        String plan = render("""
            {"seq":5,"revision":9,"role":"plan","content":"","complete":true,
             "data":{"entries":[{"content":"Read the code","status":"completed","priority":"high"},
                                {"content":"Fix the bug","status":"in_progress","priority":"high"},
                                {"content":"Add a test","status":"pending","priority":"low"}]}}""");
        assertThat(page.locator(".plan li").count()).isEqualTo(3);
        assertThat(page.locator(".plan li input[type=checkbox]:checked").count()).isEqualTo(1);
        assertThat(plan).contains("Fix the bug", "in progress");

        render("""
            {"seq":6,"revision":10,"role":"thinking","content":"Let me think <b>hard</b>","complete":true}""");
        assertThat(page.locator(".msg-thinking details").getAttribute("open")).isNull();
        assertThat(page.locator(".msg-thinking summary").innerText()).contains("Thought");
        assertThat(page.locator(".msg-thinking b").count()).isZero();

        render("""
            {"seq":7,"revision":11,"role":"tool","content":"Run tests","toolCallId":"t1","complete":true,
             "data":{"toolCallId":"t1","title":"Run tests","kind":"execute","status":"in_progress",
                     "rawInput":{"command":"npm test -- --watch=false"}}}""");
        assertThat(page.locator(".tool-card").getAttribute("data-status")).isEqualTo("in_progress");
        assertThat(page.locator(".tool-card summary").innerText()).contains("Run tests", "npm test");
        assertThat(page.locator(".tool-kind").textContent()).isEqualTo("execute");
        assertThat(page.locator(".tool-card details").getAttribute("open")).isNull();
        page.locator(".tool-card summary").click();
        assertThat(page.locator(".tool-command").innerText()).isEqualTo("$ npm test -- --watch=false");

        render("""
            {"seq":8,"revision":12,"role":"tool","content":"Edit app.ts","toolCallId":"t2","complete":true,
             "data":{"toolCallId":"t2","title":"Edit app.ts","kind":"edit","status":"completed",
                     "content":[{"type":"diff","path":"/ws/src/app.ts",
                                 "oldText":"a\\nb\\nc\\nd","newText":"a\\nB\\nc\\nd\\ne"}]}}""");
        assertThat(page.locator(".diff-path").innerText()).isEqualTo("…/src/app.ts");
        assertThat(page.locator(".diff-add").allTextContents()).extracting(String::strip)
            .containsExactly("+B", "+e");
        assertThat(page.locator(".diff-del").allTextContents()).extracting(String::strip).containsExactly("-b");
        assertThat(page.locator(".diff-stat").innerText()).contains("+2", "−1");

        render("""
            {"seq":9,"revision":13,"role":"permission","content":"","complete":false,
             "data":{"requestId":"r1","toolCall":{"title":"Write config.json"},"state":"pending",
                     "options":[{"optionId":"allow-once","name":"Allow once","kind":"allow_once"},
                                {"optionId":"allow-always","name":"Allow always","kind":"allow_always"},
                                {"optionId":"reject","name":"Reject","kind":"reject_once"}]}}""");
        assertThat(page.locator(".permission-card").innerText()).contains("Write config.json");
        assertThat(page.locator(".permission-options button").allInnerTexts())
            .containsExactly("Allow once", "Allow always", "Reject");
        render("""
            {"seq":9,"revision":14,"role":"permission","content":"","complete":true,
             "data":{"requestId":"r1","toolCall":{"title":"Write config.json"},"state":"answered",
                     "chosenOptionId":"allow-once",
                     "options":[{"optionId":"allow-once","name":"Allow once","kind":"allow_once"}]}}""");
        assertThat(page.locator(".permission-options").count()).isZero();
        assertThat(page.locator(".permission-answer").innerText()).isEqualTo("Answered: Allow once");

        render("""
            {"seq":10,"revision":15,"role":"system","content":"Pull request opened.","complete":true,
             "data":{"kind":"pull_request","url":"javascript:alert(1)"}}""");
        assertThat(page.locator(".msg-system a").count()).isZero();
    }
}
