package io.loyalflow.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Browser tests need Debian's chromium and chromium-driver. Without them a developer's machine
 * skips those tests with a loud notice; CI ({@code LOYALFLOW_REQUIRE_BROWSER=true}) fails instead.
 */
public class BrowserRequirement implements ExecutionCondition {

    public static final Path CHROMIUM =
            Path.of(System.getenv().getOrDefault("LOYALFLOW_CHROMIUM", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER =
            Path.of(System.getenv().getOrDefault("LOYALFLOW_CHROMEDRIVER", "/usr/bin/chromedriver"));

    /**
     * Debian's Chromium, headless, 1400 × 1000, with its own profile folder and nothing that reaches out to the
     * network on its own (updates, sync, QUIC).
     */
    public static ChromeDriver headlessChromium(Path profile) {
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--hide-scrollbars",
                        "--window-size=1400,1000",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = !Files.isExecutable(CHROMIUM)
                ? CHROMIUM.toString()
                : !Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER.toString() : null;
        if (missing == null) {
            return ConditionEvaluationResult.enabled("Chromium and chromedriver present");
        }
        if (Boolean.parseBoolean(System.getenv().getOrDefault("LOYALFLOW_REQUIRE_BROWSER", "false"))) {
            throw new IllegalStateException("Browser tests are required (LOYALFLOW_REQUIRE_BROWSER=true) but " + missing
                    + " is missing: apt-get install chromium chromium-driver");
        }
        SkippedTestsBanner.browserSkipped(missing + " is missing");
        return ConditionEvaluationResult.disabled("Browser tests SKIPPED: " + missing + " is missing");
    }
}
