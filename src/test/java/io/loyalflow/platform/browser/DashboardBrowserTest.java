package io.loyalflow.platform.browser;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.audience.AdAudiences;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.testsupport.BrowserRequirement;
import io.loyalflow.testsupport.CampaignEntryRuns;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An analyst opens the dashboard in a real (headless Debian) Chromium after a campaign ran: an advocate-referral
 * campaign whose journeys were entered, sent their e-mails, were opened and clicked (signed SendGrid webhooks),
 * converted (orders) and referred. Every number the pages show equals what the report and experiments APIs answer;
 * each page's screenshot goes to target/browser/, and to docs/ (the analyst guide's pictures) when the class runs
 * alone.
 */
@Tag("browser")
@ExtendWith(BrowserRequirement.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest extends MessagingIntegrationTest {

    private static final Instant NOW = Instant.parse("2030-03-04T14:00:00Z");
    private static final String NEW_YORK = "America/New_York";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STEP = Pattern.compile("([^.\\[]+)|\\[(\\d+)]");
    private static final int DORMANT = 6;
    private static final int ACTIVE = 2;

    @Autowired
    HistoryService historyService;

    @Autowired
    AdAudiences adAudiences;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private ChromeDriver browser;
    /**
     * Whether this test's campaign is the only one in the database (the class ran alone): only then do the
     * screenshots replace the analyst guide's pictures in docs/, which should not show other tests' campaigns.
     */
    private boolean alone;

    private Path profile;

    @BeforeEach
    void openBrowser() throws IOException {
        clock.set(NOW);
        senderVerified(true);
        sendGridAccepts("sg-dashboard-" + run);
        profile = Files.createTempDirectory("chromium-profile");
        browser = BrowserRequirement.headlessChromium(profile);
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

    // ---- the campaign, through the APIs

    private String customer(boolean dormant) {
        String id = newCustomer("dash-" + UUID.randomUUID() + "@example.com", null, NEW_YORK, true, false);
        order(id, NOW.minus(Duration.ofDays(200)), new BigDecimal("40.00"));
        referral(id, dormant ? "Dormant" : "Active", dormant ? 0 : 1);
        return id;
    }

    private void order(String customerId, Instant placedAt, BigDecimal amount) {
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + UUID.randomUUID(),
                        "customerId",
                        customerId,
                        "placedAt",
                        placedAt.toString(),
                        "amount",
                        amount,
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of(
                                "sku", "SHOE-" + run, "quantity", 1, "unitPrice", amount, "category", "shoes-" + run))))
                .post("/api/orders")
                .then()
                .statusCode(201);
    }

    private void referral(String customerId, String activity, int successfulReferrals) {
        as(SERVICE)
                .body(Map.of(
                        "activity",
                        activity,
                        "successfulReferrals",
                        successfulReferrals,
                        "shareUrl",
                        "https://referrals.example/m/" + run,
                        "extendedRevenue",
                        new BigDecimal("250.00")))
                .put("/api/customers/{id}/referral", customerId)
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    private String campaign(List<String> customers) {
        String id = "advocates-" + run;
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put("Task_SendReferralReminder", Map.of("templateId", TEMPLATE));
        messages.put("Task_SendVoucher", Map.of("templateId", TEMPLATE, "templateData", Map.of("code", "COMEBACK10")));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "defecting-buyers",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", customers)));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("responseWait", "P30D"));
        settings.put("arms", Map.of("Task_SplitIncentive", "VOUCHER:50, REFERRAL_REMINDER:50"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        as(ADMIN)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Advocates spring 2030",
                        "template",
                        "advocate-referral",
                        "settings",
                        settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
        return id;
    }

    private String sendGridEventNow(String event, String deliveryId, String email, String extra) {
        return sendGridEvent(event, deliveryId, email, event + "-" + UUID.randomUUID(), extra)
                .replace(
                        "\"timestamp\":1795000000",
                        "\"timestamp\":" + clock.instant().getEpochSecond());
    }

    /** Builds the campaign's history; returns its id. */
    private String campaignThatRan() {
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < DORMANT + ACTIVE; i++) {
            customers.add(customer(i < DORMANT));
        }
        // someone else's recent purchase: the voucher arm's recommendations
        String shopper = newCustomer("shopper-" + UUID.randomUUID() + "@example.com", null, NEW_YORK, false, false);
        order(shopper, NOW.minus(Duration.ofDays(5)), new BigDecimal("25.00"));
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        String campaign = campaign(customers);
        assertThat(new CampaignEntryRuns(managementService, historyService)
                        .fire()
                        .enrolled(campaign))
                .isEqualTo(DORMANT + ACTIVE);

        Map<String, String> journeys = new HashMap<>(); // customer -> process instance
        jdbc.queryForList(
                        "select c.customer_id, e.process_instance_id from campaign_enrollment e join customer c "
                                + "on c.customer_key = e.customer_key where e.campaign_key = ?",
                        campaign)
                .forEach(row -> journeys.put((String) row.get("customer_id"), (String) row.get("process_instance_id")));
        journeys.values().forEach(this::runDueJobs);

        // a day later: four e-mails opened by people, one by a mail client's privacy proxy, two clicked
        clock.set(NOW.plus(Duration.ofDays(1)));
        StringBuilder events = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            String customer = customers.get(i);
            Map<String, Object> delivery = deliveriesOf(journeys.get(customer)).get(0);
            String email = (String) delivery.get("address");
            String deliveryId = (String) delivery.get("delivery_id");
            if (events.length() > 1) {
                events.append(',');
            }
            events.append(sendGridEventNow("delivered", deliveryId, email, null))
                    .append(',');
            events.append(sendGridEventNow("open", deliveryId, email, "\"sg_machine_open\":" + (i == 4)));
            if (i < 2) {
                events.append(',')
                        .append(sendGridEventNow(
                                "click", deliveryId, email, "\"url\":\"https://shop.example/spring\""));
            }
        }
        postSendGridEvents(events.append(']').toString()).then().statusCode(200);
        applyWebhookEvents();

        // two days later: two of them order, one advocate refers a friend
        clock.set(NOW.plus(Duration.ofDays(2)));
        order(customers.get(0), clock.instant().minusSeconds(60), new BigDecimal("120.00"));
        order(customers.get(1), clock.instant().minusSeconds(60), new BigDecimal("35.50"));
        clock.set(NOW.plus(Duration.ofDays(3)));
        referral(customers.get(DORMANT), "Active", 2);
        return campaign;
    }

    // ---- the browser

    private void logIn() {
        browser.get("http://localhost:" + port + "/dashboard/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")))
                .sendKeys(ANALYST.id);
        browser.findElement(By.name("password")).sendKeys(ANALYST.password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.urlMatches(".*/dashboard/(\\?continue)?$"));
    }

    private void waitUntilLoaded() {
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(driver ->
                        "true".equals(((ChromeDriver) driver).executeScript("return document.body.dataset.loaded")));
    }

    private void waitUntilAudiencesLoaded() {
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(driver -> "true"
                        .equals(((ChromeDriver) driver)
                                .executeScript("return document.getElementById('audiences-section').dataset.loaded")));
    }

    private void screenshot(String name) throws IOException {
        Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(1400, Math.min(6000, height.intValue() + 20)));
        // the window's size includes the browser's own frame: grow it by what the page still lacks
        Number missing =
                (Number) browser.executeScript("return document.documentElement.scrollHeight - window.innerHeight");
        if (missing.intValue() > 0) {
            browser.manage()
                    .window()
                    .setSize(new Dimension(1400, Math.min(6000, height.intValue() + 20 + missing.intValue())));
        }
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Path shot = Path.of("target", "browser", name);
        Files.createDirectories(shot.getParent());
        Files.write(shot, png);
        if (alone) {
            Files.write(Path.of("docs", name), png);
        }
        browser.manage().window().setSize(new Dimension(1400, 1000));
    }

    /**
     * Every number on the page outside the ad audiences (those are of GET /api/audiences): its JSON path, raw value,
     * shown text, and the campaign row it is in.
     */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> numbers(String attribute) {
        return (List<Map<String, Object>>) browser.executeScript("return Array.from(document.querySelectorAll('["
                + attribute + "]')).filter(e => !e.closest('#audiences-section')).map(e => ({"
                + "path: e.getAttribute('" + attribute + "'), value: e.getAttribute('data-value'),"
                + "text: e.textContent.trim(), campaign: (e.closest('[data-campaign]') || {dataset: {}})"
                + ".dataset.campaign || null}))");
    }

    private JsonNode get(String path, Object... parameters) throws IOException {
        return JSON.readTree(as(ANALYST)
                .get(path, parameters)
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        Matcher step = STEP.matcher(path);
        while (step.find() && node != null) {
            node = step.group(1) != null ? node.get(step.group(1)) : node.get(Integer.parseInt(step.group(2)));
        }
        return node;
    }

    private static void assertShows(Map<String, Object> number, JsonNode expected) {
        String value = (String) number.get("value");
        String where = number.get("path") + " (" + number.get("campaign") + ")";
        assertThat(expected).as("%s exists in the API's answer", where).isNotNull();
        if (expected.isNull()) {
            assertThat(value).as(where).isEmpty();
        } else if (expected.isNumber()) {
            assertThat(new BigDecimal(value)).as(where).isEqualByComparingTo(expected.decimalValue());
            if (expected.isIntegralNumber()) {
                String shown = ((String) number.get("text")).replace(",", "");
                assertThat(shown).as("%s as shown", where).isEqualTo(expected.asText());
            }
        } else {
            assertThat(value).as(where).isEqualTo(expected.asText());
        }
    }

    private static void assertRates(List<Map<String, Object>> rates, java.util.function.Function<String, JsonNode> of) {
        for (Map<String, Object> rate : rates) {
            String[] parts = ((String) rate.get("path")).split("/");
            JsonNode numerator = of.apply(parts[0]);
            JsonNode denominator = of.apply(parts[1]);
            assertThat(numerator).as(parts[0]).isNotNull();
            assertThat(denominator).as(parts[1]).isNotNull();
            String value = (String) rate.get("value");
            if (denominator.asDouble() == 0) {
                assertThat(value)
                        .as("%s without a denominator", rate.get("path"))
                        .isEmpty();
            } else {
                assertThat(Double.parseDouble(value))
                        .as((String) rate.get("path"))
                        .isCloseTo(
                                numerator.asDouble() / denominator.asDouble(),
                                org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    @Order(1) // first: its screenshots show no other test's campaign when the class runs alone
    void theDashboardShowsWhatTheReportAndExperimentsApisSay() throws IOException {
        String campaign = campaignThatRan();
        logIn();

        // ---- the campaigns page: every row equals its campaign's report; the cards sum them
        waitUntilLoaded();
        List<Map<String, Object>> listed = numbers("data-field");
        JsonNode campaigns = get("/api/campaigns");
        alone = campaigns.size() == 1;
        Map<String, JsonNode> reports = new HashMap<>();
        for (JsonNode c : campaigns) {
            reports.put(
                    c.get("id").asText(),
                    get("/api/campaigns/{id}/report", c.get("id").asText()));
        }
        assertThat(browser.findElements(By.cssSelector("#campaigns tbody tr[data-campaign]")))
                .hasSize(campaigns.size());
        assertThat(listed).extracting(n -> n.get("campaign")).contains(campaign);
        for (Map<String, Object> number : listed) {
            String path = (String) number.get("path");
            if (number.get("campaign") != null) {
                assertShows(number, at(reports.get((String) number.get("campaign")), path));
            } else if (path.startsWith("sum:")) {
                BigDecimal sum = reports.values().stream()
                        .map(r -> at(r, path.substring(4)).decimalValue())
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                assertShows(number, JSON.getNodeFactory().numberNode(sum));
            } else {
                assertThat(path).isEqualTo("campaigns");
                assertShows(number, JSON.getNodeFactory().numberNode(campaigns.size()));
            }
        }
        assertThat(listed)
                .filteredOn(n -> campaign.equals(n.get("campaign")))
                .extracting(n -> n.get("path"))
                .contains("totals.journeys", "totals.active", "totals.sent", "totals.conversions", "totals.revenue");
        for (Map<String, Object> rate : numbers("data-rate")) {
            if (rate.get("campaign") != null) {
                JsonNode report = reports.get((String) rate.get("campaign"));
                assertRates(List.of(rate), p -> at(report, p));
            } else {
                // the cards' rates: of the sums over all campaigns
                assertRates(
                        List.of(rate),
                        p -> JSON.getNodeFactory()
                                .numberNode(reports.values().stream()
                                        .map(r -> at(r, p.substring("sum:".length()))
                                                .decimalValue())
                                        .reduce(BigDecimal.ZERO, BigDecimal::add)));
            }
        }
        JsonNode report = reports.get(campaign);
        assertThat(report.at("/totals/journeys").asLong()).isEqualTo(DORMANT + ACTIVE);
        assertThat(browser.findElement(
                                By.cssSelector("tr[data-campaign='" + campaign + "'] [data-field='totals.journeys']"))
                        .getText())
                .isEqualTo(Integer.toString(DORMANT + ACTIVE));
        assertThat(browser.findElements(By.cssSelector("#overview-chart canvas")))
                .isNotEmpty();
        // no ad audience yet (unless another test class made one in this database): the section says how to make one
        waitUntilAudiencesLoaded();
        if (get("/api/audiences").isEmpty()) {
            assertThat(browser.findElement(By.id("audiences-section")).getText())
                    .contains("No ad audiences yet", "POST /api/audiences");
        }
        screenshot("dashboard-campaigns.png");

        // ---- the campaign's page
        browser.findElement(By.cssSelector("tr[data-campaign='" + campaign + "'] a"))
                .click();
        waitUntilLoaded();
        JsonNode experiments = get("/api/campaigns/{id}/experiments", campaign);
        JsonNode both = JSON.createObjectNode().set("experiments", experiments);
        List<Map<String, Object>> shown = numbers("data-field");
        for (Map<String, Object> number : shown) {
            String path = (String) number.get("path");
            assertShows(number, path.startsWith("experiments") ? at(both, path) : at(report, path));
        }
        assertRates(numbers("data-rate"), p -> at(report, p));
        List<Object> paths = shown.stream().map(n -> n.get("path")).toList();
        assertThat(paths)
                .contains(
                        "totals.journeys",
                        "totals.sent",
                        "totals.opened",
                        "totals.clicked",
                        "totals.conversions",
                        "totals.revenue",
                        "funnel[0].entered",
                        "messages[0].sent",
                        "messages[0].humanOpens",
                        "conversions.revenue");
        // the page shows every row of the report's lists
        assertThat(paths).contains("funnel[" + (report.get("funnel").size() - 1) + "].entered");
        if (report.get("segments").size() > 0) {
            assertThat(paths).contains("segments[" + (report.get("segments").size() - 1) + "].journeys");
        }
        if (report.get("daily").size() > 0) {
            assertThat(paths).contains("daily[" + (report.get("daily").size() - 1) + "].sends");
        }
        assertThat(browser.findElements(By.cssSelector("article.experiment"))).hasSize(experiments.size());
        for (int i = 0; i < experiments.size(); i++) {
            for (int j = 0; j < experiments.get(i).get("arms").size(); j++) {
                String arm = "experiments[" + i + "].arms[" + j + "].";
                assertThat(paths).contains(arm + "rate", arm + "interval.low", arm + "interval.high", arm + "assigned");
            }
            assertThat(paths).contains("experiments[" + i + "].state");
        }
        // the charts are drawn (ECharts from its webjar)
        assertThat(browser.executeScript("return typeof echarts")).isEqualTo("object");
        assertThat(browser.findElements(By.cssSelector("#funnel-chart canvas"))).isNotEmpty();
        assertThat(browser.findElement(By.id("cockpit")).getAttribute("href"))
                .endsWith("/dashboard/cockpit/advocate-referral");
        // the CSV of the same report, with the browser's session
        String csv = browser.findElement(By.id("csv")).getAttribute("href");
        assertThat(csv).endsWith("/api/campaigns/" + campaign + "/report?format=csv");
        String cookie = browser.manage().getCookieNamed("JSESSIONID").getValue();
        io.restassured.RestAssured.given()
                .port(port)
                .cookie("JSESSIONID", cookie)
                .get(csv.substring(csv.indexOf("/api/")))
                .then()
                .statusCode(200)
                .contentType(org.hamcrest.Matchers.containsString("text/csv"));
        // no customer's personal data on the page
        String page = browser.findElement(By.tagName("body")).getText();
        assertThat(page).doesNotContain("@example.com").doesNotContain("dash-");
        screenshot("dashboard-campaign.png");

        // ---- another period: the dates go to the report API, and the page shows its answer for them
        browser.executeScript("document.querySelector('#range [name=from]').value = '2030-03-05';"
                + "document.querySelector('#range [name=to]').value = '2030-03-06';");
        browser.findElement(By.cssSelector("#range button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("from=2030-03-05"));
        waitUntilLoaded();
        assertThat(browser.getCurrentUrl()).contains("id=" + campaign).contains("to=2030-03-06");
        JsonNode period = get("/api/campaigns/{id}/report?from=2030-03-05&to=2030-03-06", campaign);
        assertThat(period.get("from").asText()).startsWith("2030-03-05");
        List<Map<String, Object>> inPeriod = numbers("data-field");
        for (Map<String, Object> number : inPeriod) {
            String path = (String) number.get("path");
            assertShows(number, path.startsWith("experiments") ? at(both, path) : at(period, path));
        }
        assertRates(numbers("data-rate"), p -> at(period, p));
        assertThat(inPeriod).extracting(n -> n.get("path")).contains("from", "totals.journeys", "totals.sent");
    }

    @Test
    @Order(2)
    void aCampaignWithoutJourneysShowsEmptyStates() throws IOException {
        String campaign = campaign(List.of("nobody-" + run));
        logIn();
        waitUntilLoaded();
        assertThat(browser.findElement(
                                By.cssSelector("tr[data-campaign='" + campaign + "'] [data-field='totals.journeys']"))
                        .getText())
                .isEqualTo("0");
        browser.get("http://localhost:" + port + "/dashboard/campaign?id=" + campaign);
        waitUntilLoaded();
        JsonNode report = get("/api/campaigns/{id}/report", campaign);
        JsonNode experiments =
                JSON.createObjectNode().set("experiments", get("/api/campaigns/{id}/experiments", campaign));
        for (Map<String, Object> number : numbers("data-field")) {
            String path = (String) number.get("path");
            assertShows(number, path.startsWith("experiments") ? at(experiments, path) : at(report, path));
        }
        // rates without a denominator show a dash, not 0 % or NaN
        assertThat(browser.findElement(By.cssSelector("#kpis [data-rate='totals.opened/totals.sent']"))
                        .getText())
                .isEqualTo("–");
        String page = browser.findElement(By.tagName("body")).getText();
        assertThat(page)
                .contains("No message was sent in the period.", "No journey has ended yet.")
                .doesNotContain("NaN", "undefined", "could not be read");
        if (report.get("funnel").isEmpty()) {
            assertThat(page).contains("No journey has entered this campaign in the period.");
        }
        // an unknown campaign: the report's problem, in words
        browser.get("http://localhost:" + port + "/dashboard/campaign?id=no-such-campaign-" + run);
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(driver ->
                        "error".equals(((ChromeDriver) driver).executeScript("return document.body.dataset.loaded")));
        assertThat(browser.findElement(By.id("status")).getText()).contains("could not be read");
    }

    @Test
    @Order(3)
    void theAdAudiencesShowTheirFiguresAndNoOne() throws IOException {
        // an audience journeys fill, at Meta under an existing custom audience id; three customers wanted in
        String audience = "dash-buyers-" + run;
        as(ANALYST)
                .body(Map.of(
                        "id",
                        audience,
                        "name",
                        "Dashboard buyers " + run,
                        "metaAudienceId",
                        "2385"
                                + java.util.concurrent.ThreadLocalRandom.current()
                                        .nextLong(1_000_000_000L, 9_999_999_999L)))
                .post("/api/audiences")
                .then()
                .statusCode(201);
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = newCustomer("aud-" + UUID.randomUUID() + "@example.com", null, NEW_YORK, true, false);
            keys.add(jdbc.queryForObject("select customer_key from customer where customer_id = ?", Long.class, id));
        }
        adAudiences.join(audience, keys);
        JsonNode status = get("/api/audiences/{id}", audience);
        assertThat(status.at("/members/wanted").asLong()).isEqualTo(3);
        assertThat(status.at("/members/pending").asLong()).isEqualTo(3);

        logIn();
        waitUntilLoaded();
        waitUntilAudiencesLoaded();
        String row = "#audiences tr[data-audience='" + audience + "']";
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> shown = (List<Map<String, Object>>) browser.executeScript(
                "return Array.from(document.querySelectorAll(arguments[0] + ' [data-field][data-value]')).map(e => ({"
                        + "path: e.getAttribute('data-field'), value: e.getAttribute('data-value'),"
                        + "text: e.textContent.trim(), campaign: null}))",
                row);
        for (Map<String, Object> number : shown) {
            assertShows(number, at(status, (String) number.get("path")));
        }
        assertThat(shown)
                .extracting(n -> n.get("path"))
                .contains(
                        "members.wanted",
                        "members.onMeta",
                        "members.pending",
                        "membersSent",
                        "removals",
                        "batches",
                        "errors");
        String text = browser.findElement(By.cssSelector(row)).getText();
        assertThat(text)
                .contains("Dashboard buyers " + run, audience, "journeys", "ACTIVE", "none yet")
                .contains("meta")
                // the note belongs to the log provider only; this context sends to Meta (WireMock)
                .doesNotContain("nothing is sent to Meta");
        assertThat(browser.findElement(By.cssSelector(row + " [data-field='members.wanted']"))
                        .getText())
                .isEqualTo("3");
        // counts only: none of the members' addresses
        assertThat(browser.findElement(By.id("audiences-section")).getText())
                .doesNotContain("@example.com")
                .doesNotContain("undefined", "NaN");
        screenshot("dashboard-audiences.png");
    }
}
