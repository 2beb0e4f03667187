package dev.handoff.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium driven by Playwright, headless and offline (never downloads a browser), with screenshots
 * under {@code e2e-tests/target/screenshots/<test>/}.
 */
final class WebBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage");

    private final Playwright playwright;
    private final Browser browser;

    WebBrowser() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: apt-get install -y chromium");
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
            .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
            .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(ARGS));
    }

    /** A fresh browser profile (cookies, storage) with a desktop-sized window. */
    BrowserContext newContext() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 860));
        context.setDefaultTimeout(30_000);
        return context;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }

    /** Numbered screenshots of one test: {@code 01-project-created.png}, ... */
    static final class Screenshots {
        private final Path dir;
        private final AtomicInteger count = new AtomicInteger();

        Screenshots(String test) {
            dir = Path.of(System.getProperty("handoff.e2e.work", "target/e2e")).resolveSibling("screenshots")
                .resolve(test);
        }

        void take(Page page, String step) {
            page.screenshot(new Page.ScreenshotOptions()
                .setPath(dir.resolve(String.format("%02d-%s.png", count.incrementAndGet(), step))));
        }
    }
}
