package io.loyalflow.platform;

import static org.hamcrest.Matchers.containsString;

import io.loyalflow.testsupport.IntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each Camunda webapp loads the service's user-styles.css (the webapps' customisation file) instead of
 * the webjar's empty one: it hides the Camunda 8 migration banner. The browser test shows the effect.
 */
class WebappStylesTest extends IntegrationTest {

    @Test
    void everyWebappIsServedTheStylesThatHideTheMigrationBanner() {
        for (String app : List.of("cockpit", "tasklist", "admin", "welcome")) {
            anonymous()
                    .get("/camunda/app/{app}/styles/user-styles.css", app)
                    .then()
                    .statusCode(200)
                    .contentType(containsString("text/css"))
                    .body(containsString("[cam-widget-header] .ce-eol-banner {\n  display: none;\n}"))
                    .body(containsString("padding-top: 45px;"));
            anonymous()
                    .get("/camunda/app/{app}/", app)
                    .then()
                    .statusCode(200)
                    .body(containsString("app/" + app + "/styles/user-styles.css"));
        }
    }
}
