package io.loyalflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.LoyalflowApplication;
import io.loyalflow.demo.CdnowDemoAccess;
import io.loyalflow.platform.engine.MissingAdminCredentialsException;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service as a user starts it: the default embedded H2 file, and the production profile's
 * guard. It starts whole applications, so it runs in a JVM of its own (tag "isolated").
 */
@Tag("isolated")
@ExtendWith(OutputCaptureExtension.class)
class StartupTest {

    private static final Pattern GENERATED = Pattern.compile("with this generated password:\\s+(\\S+)");
    private static final AtomicInteger engines = new AtomicInteger();

    /** Starts the service as its command line would; {@code overrides} are {@code name=value} pairs. */
    private static ConfigurableApplicationContext start(Path dataDir, String... overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("loyalflow.data-dir", dataDir.toString());
        properties.put("server.port", "0");
        properties.put("camunda.bpm.process-engine-name", "startup" + engines.incrementAndGet());
        properties.put("loyalflow.admin.user", "");
        properties.put("loyalflow.admin.password", "");
        for (String override : overrides) {
            properties.put(override.substring(0, override.indexOf('=')), override.substring(override.indexOf('=') + 1));
        }
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(LoyalflowApplication.class).run(args);
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static int status(ConfigurableApplicationContext context, String password, String path) {
        return RestAssured.given()
                .port(port(context))
                .auth()
                .preemptive()
                .basic("admin", password)
                .get(path)
                .then()
                .extract()
                .statusCode();
    }

    @Test
    void theEmbeddedDatabaseSurvivesARestartAndTheGeneratedPasswordIsShownOnce(
            @TempDir Path dataDir, CapturedOutput output) throws Exception {
        String password;
        long shiftDays;
        try (var first = start(dataDir, "loyalflow.demo.cdnow=true", "loyalflow.demo.customers=500")) {
            Matcher shown = GENERATED.matcher(output.getOut());
            assertThat(shown.find()).as("the generated password is printed").isTrue();
            password = shown.group(1);
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);
            assertThat(Files.exists(dataDir.resolve("loyalflow.mv.db"))).isTrue();
            // the demo loads in the background
            shiftDays = CdnowDemoAccess.awaitLoaded(first, Duration.ofMinutes(3));
            assertThat(status(first, password, "/api/customers/cdnow-00500")).isEqualTo(200);
            RestAssured.given()
                    .port(port(first))
                    .auth()
                    .preemptive()
                    .basic("admin", password)
                    .get("/api/customers/cdnow-00002")
                    .then()
                    .body("features.orders", equalTo(2));
        }
        int printedAfterFirstStart = output.getOut().length();

        // a restart with the demo on: the demo stays as loaded, moved by the first start's shift, nothing added
        try (var second = start(dataDir, "loyalflow.demo.cdnow=true", "loyalflow.demo.customers=1000")) {
            assertThat(output.getOut().substring(printedAfterFirstStart))
                    .doesNotContain("with this generated password");
            assertThat(CdnowDemoAccess.awaitLoaded(second, Duration.ofMinutes(1)))
                    .isEqualTo(shiftDays);
            assertThat(output.getOut().substring(printedAfterFirstStart)).contains("CDNOW demo: loaded already");
            assertThat(status(second, password, "/api/customers/cdnow-00500")).isEqualTo(200);
            assertThat(status(second, password, "/api/customers/cdnow-00501")).isEqualTo(404);
            RestAssured.given()
                    .port(port(second))
                    .auth()
                    .preemptive()
                    .basic("admin", password)
                    .get("/api/demo")
                    .then()
                    .body("state", equalTo("READY"))
                    .body("customers", equalTo(500))
                    .body("shiftDays", equalTo((int) shiftDays));
        }

        try (var third = start(dataDir, "loyalflow.admin.user=admin", "loyalflow.admin.password=chosen-password-42")) {
            assertThat(status(third, "chosen-password-42", "/api/customers/cdnow-00001"))
                    .isEqualTo(200);
            assertThat(status(third, password, "/api/customers/cdnow-00001")).isEqualTo(401);
        }
    }

    @Test
    void thePostgresProfileRefusesToStartWithoutAdministratorCredentials(CapturedOutput output) {
        // port 1: if the service tried the database before refusing, the error would be a connection failure
        assertThatThrownBy(() -> new SpringApplicationBuilder(LoyalflowApplication.class)
                        .profiles("postgres")
                        .run(
                                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                                "--loyalflow.admin.user=",
                                "--loyalflow.admin.password="))
                .isInstanceOf(MissingAdminCredentialsException.class)
                .hasMessageContaining("LOYALFLOW_ADMIN_USER and LOYALFLOW_ADMIN_PASSWORD");
        assertThat(output.getOut() + output.getErr()).contains("Set LOYALFLOW_ADMIN_USER and LOYALFLOW_ADMIN_PASSWORD");
    }

    @Test
    void aSharedDatabaseNeedsCredentialsEvenWithoutTheProfileAndShortPasswordsAreRefused() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(LoyalflowApplication.class)
                        .run(
                                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                                "--loyalflow.admin.user=",
                                "--loyalflow.admin.password="))
                .isInstanceOf(MissingAdminCredentialsException.class);
        assertThatThrownBy(() -> new SpringApplicationBuilder(LoyalflowApplication.class)
                        .run("--loyalflow.admin.user=admin", "--loyalflow.admin.password=short"))
                .isInstanceOf(MissingAdminCredentialsException.class)
                .hasMessageContaining("shorter than 12");
        assertThatThrownBy(() -> new SpringApplicationBuilder(LoyalflowApplication.class)
                        .run("--loyalflow.admin.user=<script>", "--loyalflow.admin.password=long-enough-password"))
                .isInstanceOf(MissingAdminCredentialsException.class)
                .hasMessageContaining("LOYALFLOW_ADMIN_USER");
    }
}
