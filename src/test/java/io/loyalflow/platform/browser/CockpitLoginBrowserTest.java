package io.loyalflow.platform.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.BrowserRequirement;
import io.loyalflow.testsupport.IntegrationTest;
import io.loyalflow.testsupport.TestUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** An operator logs into Cockpit in a real (headless Debian) Chromium. */
@Tag("browser")
@ExtendWith(BrowserRequirement.class)
class CockpitLoginBrowserTest extends IntegrationTest {

    private static final By USERNAME = By.cssSelector("form[name=signinForm] input[ng-model=username]");
    private static final By PASSWORD = By.cssSelector("form[name=signinForm] input[ng-model=password]");

    private ChromeDriver browser;
    private Path profile;

    @BeforeEach
    void openBrowser() throws IOException {
        profile = Files.createTempDirectory("chromium-profile");
        browser = BrowserRequirement.headlessChromium(profile);
    }

    @AfterEach
    void closeBrowser(TestInfo test) throws IOException {
        try {
            Path shot = Path.of("target", "browser", test.getDisplayName().replaceAll("\\W+", "_") + ".png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
            identityService.unlockUser(TestUsers.ADMIN.id);
        }
    }

    private void logIn(String user, String password) {
        browser.get("http://localhost:" + port + "/camunda/app/cockpit/default/");
        // the first page a JVM serves loads the webapps' large scripts cold: on a busy 2-core machine, over 30 s
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        wait.until(ExpectedConditions.visibilityOfElementLocated(USERNAME)).sendKeys(user);
        browser.findElement(PASSWORD).sendKeys(password);
        browser.findElement(By.cssSelector("form[name=signinForm] button[type=submit]"))
                .click();
    }

    /** The visible text, lower-cased: the webapps upper-case some headings with CSS. */
    private String page() {
        return browser.findElement(By.tagName("body")).getText().toLowerCase(java.util.Locale.ROOT);
    }

    private void waitForText(String text) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> page().contains(text));
    }

    @Test
    void theAdministratorLogsIntoCockpitAndReachesTheDashboard() {
        logIn(TestUsers.ADMIN.id, TestUsers.ADMIN.password);
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("#/dashboard"));
        waitForText("running process instances");
        assertThat(page()).contains("running process instances", "deployed").doesNotContain("login failed");
        assertThat(browser.findElements(PASSWORD)).isEmpty();
    }

    @Test
    void aWrongPasswordIsRefused() {
        logIn(TestUsers.ADMIN.id, "certainly-not-the-password");
        waitForText("login failed");
        assertThat(page()).contains("wrong credentials");
        assertThat(browser.findElement(PASSWORD).isDisplayed()).isTrue();
        assertThat(browser.getCurrentUrl()).doesNotContain("#/dashboard");
    }

    /**
     * Camunda 7 CE puts a red "time to migrate to Camunda 8" banner above every page of its webapps; the
     * service's user-styles.css hides it and takes its height out of the layout, in each webapp.
     */
    @Test
    void noWebappShowsTheCamunda8MigrationBanner() {
        logIn(TestUsers.ADMIN.id, TestUsers.ADMIN.password);
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("#/dashboard"));
        waitForText("running process instances");
        for (String app : java.util.List.of("cockpit", "tasklist", "admin", "welcome")) {
            browser.get("http://localhost:" + port + "/camunda/app/" + app + "/default/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
            // the banner is in the page (the webapps always render it in CE), and loaded with its text, but not shown
            wait.until(driver -> !driver.findElements(By.cssSelector("[cam-widget-header] .ce-eol-banner a"))
                    .isEmpty());
            WebElement banner = browser.findElement(By.cssSelector("[cam-widget-header] .ce-eol-banner"));
            assertThat(banner.getAttribute("textContent")).as(app).contains("migrate to Camunda 8");
            assertThat(banner.isDisplayed()).as("%s shows the banner", app).isFalse();
            assertThat(page()).as(app).doesNotContain("migrate to camunda 8");
            // and leaves no gap: the page starts where the header ends
            Number headerBottom = (Number) browser.executeScript(
                    "return document.querySelector('[cam-widget-header]').getBoundingClientRect().bottom");
            Number bodyPadding =
                    (Number) browser.executeScript("return parseFloat(getComputedStyle(document.body).paddingTop)");
            assertThat(bodyPadding.doubleValue())
                    .as("%s: page top below a header ending at %s", app, headerBottom)
                    .isCloseTo(headerBottom.doubleValue(), org.assertj.core.api.Assertions.within(1.0));
        }
    }
}
