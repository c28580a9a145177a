package io.loyalflow.platform;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.MONITORING;
import static io.loyalflow.testsupport.TestUsers.NO_GROUP;
import static io.loyalflow.testsupport.TestUsers.OPERATOR;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static io.loyalflow.testsupport.TestUsers.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.loyalflow.testsupport.IntegrationTest;
import io.loyalflow.testsupport.TestUsers;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/**
 * The dashboard's access rules: the identity service's users log in with a form; analysts, operators,
 * services and administrators see it, the team and users without a group do not, anonymous visitors are
 * sent to the login; the session reads the aggregate APIs and changes nothing.
 */
class DashboardAccessTest extends IntegrationTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private RequestSpecification browser() {
        return RestAssured.given().port(port).redirects().follow(false);
    }

    private RequestSpecification browser(String session) {
        return browser().cookie("JSESSIONID", session);
    }

    private static String csrf(Response page) {
        Matcher token = CSRF.matcher(page.asString());
        assertThat(token.find()).as("a CSRF token in %s", page.asString()).isTrue();
        return token.group(1);
    }

    /** Logs in through the login form; returns the session cookie. */
    private String logIn(TestUsers user) {
        Response page = browser().get("/login");
        page.then().statusCode(200).contentType(containsString("text/html"));
        Response login = browser(page.cookie("JSESSIONID"))
                .formParam("username", user.id)
                .formParam("password", user.password)
                .formParam("_csrf", csrf(page))
                .post("/login");
        login.then().statusCode(302).header("Location", endsWith("/dashboard/"));
        assertThat(login.cookie("JSESSIONID"))
                .as("a new session after the login")
                .isNotBlank();
        return login.cookie("JSESSIONID");
    }

    @Test
    void anonymousVisitorsAreSentToTheLogin() {
        for (String page : List.of(
                "/dashboard",
                "/dashboard/",
                "/dashboard/campaign?id=x",
                "/dashboard/index.html",
                "/dashboard/campaign.js",
                "/dashboard/cockpit/win-back",
                "/webjars/echarts/5.3.1/dist/echarts.min.js")) {
            browser().get(page).then().statusCode(302).header("Location", endsWith("/login"));
        }
        browser()
                .get("/login")
                .then()
                .statusCode(200)
                .body(containsString("name=\"username\""))
                .body(containsString("name=\"password\""));
    }

    @Test
    void analystsOperatorsServicesAndAdministratorsSeeTheDashboard() {
        for (TestUsers user : List.of(ANALYST, OPERATOR, SERVICE, ADMIN)) {
            String session = logIn(user);
            browser(session).get("/dashboard").then().statusCode(302).header("Location", endsWith("/dashboard/"));
            browser(session)
                    .get("/dashboard/")
                    .then()
                    .statusCode(200)
                    .contentType(containsString("text/html"))
                    .body(containsString("<h1>Campaigns</h1>"))
                    .header("Content-Security-Policy", containsString("script-src 'self';"));
            browser(session)
                    .get("/dashboard/campaign?id=any")
                    .then()
                    .statusCode(200)
                    .body(containsString("Funnel"))
                    .body(containsString("/webjars/echarts/5.3.1/dist/echarts.min.js"));
            browser(session)
                    .get("/webjars/echarts/5.3.1/dist/echarts.min.js")
                    .then()
                    .statusCode(200)
                    .contentType(containsString("javascript"));
            // the session reads the aggregate APIs the page uses, like Basic credentials would
            browser(session).get("/api/campaigns").then().statusCode(200);
        }
    }

    @Test
    void theTeamUsersWithoutAGroupAndMonitoringMayNot() {
        for (TestUsers user : List.of(TEAM, NO_GROUP, MONITORING)) {
            String session = logIn(user);
            browser(session).get("/dashboard/").then().statusCode(403);
            browser(session).get("/dashboard/campaign.js").then().statusCode(403);
            browser(session).get("/api/campaigns").then().statusCode(403);
        }
    }

    @Test
    void aSessionOnlyReadsTheApiChangesStillNeedCredentials() {
        String session = logIn(ANALYST);
        // analysts may estimate segments with their credentials, not with the dashboard's cookie (no CSRF)
        as(ANALYST)
                .body(Map.of("segment", "win-back"))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200);
        browser(session)
                .contentType("application/json")
                .body(Map.of("segment", "win-back"))
                .post("/api/segments/estimate")
                .then()
                .statusCode(401);
        // the page's own requests get no Basic challenge: the browser shows no password dialog
        browser()
                .header("X-Requested-With", "XMLHttpRequest")
                .get("/api/campaigns")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", nullValue());
        // and the session gives no personal data: customers stay the service's
        browser(session).get("/api/customers/c-1").then().statusCode(403);
    }

    @Test
    void loggingOutEndsTheSession() {
        String session = logIn(ANALYST);
        Response confirm = browser(session).get("/logout");
        confirm.then().statusCode(200);
        browser(session)
                .formParam("_csrf", csrf(confirm))
                .post("/logout")
                .then()
                .statusCode(302)
                .header("Location", endsWith("/login?logout"));
        browser(session).get("/dashboard/").then().statusCode(302).header("Location", endsWith("/login"));
        browser(session).get("/api/campaigns").then().statusCode(401);
    }

    @Test
    void theCockpitLinkLeadsToTheNewestVersionOfTheCampaignsProcess() {
        String session = logIn(ANALYST);
        String newest = processEngine
                .getRepositoryService()
                .createProcessDefinitionQuery()
                .processDefinitionKey("win-back")
                .latestVersion()
                .singleResult()
                .getId();
        browser(session)
                .get("/dashboard/cockpit/win-back")
                .then()
                .statusCode(302)
                .header(
                        "Location",
                        endsWith("/camunda/app/cockpit/default/#/process-definition/" + newest + "/runtime"));
        browser(session)
                .get("/dashboard/cockpit/no-such-process")
                .then()
                .statusCode(404)
                .contentType(startsWith("application/problem+json"));
    }

    /**
     * Rule 13: the pages read only the aggregate APIs (campaigns, a campaign's report and experiments, the ad
     * audiences' counts).
     */
    @Test
    void thePagesReadOnlyTheAggregateApis() throws IOException {
        var used = new TreeSet<String>();
        for (String script : List.of("common.js", "campaigns.js", "campaign.js", "audiences.js")) {
            String text =
                    new ClassPathResource("static/dashboard/" + script).getContentAsString(StandardCharsets.UTF_8);
            Matcher api = Pattern.compile("['\"`](/api/[^'\"`]*)['\"`]").matcher(text);
            while (api.find()) {
                used.add(api.group(1));
            }
            Matcher suffix = Pattern.compile("['\"`](/[a-z]+)['\"`]").matcher(text);
            while (suffix.find()) {
                used.add(suffix.group(1));
            }
        }
        assertThat(used).contains("/api/campaigns", "/api/campaigns/", "/report", "/experiments", "/api/audiences");
        assertThat(used)
                .allMatch(path -> List.of(
                                "/api/campaigns",
                                "/api/campaigns/",
                                "/report",
                                "/experiments",
                                "/api/audiences",
                                "/login")
                        .contains(path));
    }
}
