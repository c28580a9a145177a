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
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.TestUsers;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;

class SecurityTest extends DatabaseTest {

    @Autowired
    RepositoryService repositoryService;

    private RequestSpecification engine(TestUsers user) {
        return RestAssured.given().port(port).auth().preemptive().basic(user.id, user.password);
    }

    @Test
    void anonymousCallsAreRefusedWith401() {
        RestAssured.given()
                .port(port)
                .get("/engine-rest/deployment?maxResults=0")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Basic"));
        anonymous()
                .get("/api/customers/{id}", "c1")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Basic realm=\"Loyalflow\""))
                .body("status", equalTo(401));
        anonymous().body(Map.of()).post("/api/orders").then().statusCode(401);
    }

    @Test
    void wrongPasswordsAreRefusedWith401() {
        RestAssured.given()
                .port(port)
                .auth()
                .preemptive()
                .basic(TestUsers.LOCKOUT_PROBE.id, "not-the-password")
                .get("/engine-rest/deployment?maxResults=0")
                .then()
                .statusCode(401);
        RestAssured.given()
                .port(port)
                .auth()
                .preemptive()
                .basic(TestUsers.LOCKOUT_PROBE.id, "not-the-password")
                .get("/api/customers/{id}", "c1")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        RestAssured.given()
                .port(port)
                .auth()
                .preemptive()
                .basic("nobody-at-all", "whatever-password")
                .get("/api/customers/{id}", "c1")
                .then()
                .statusCode(401);
    }

    @Test
    void usersOutsideTheRightGroupGet403() {
        as(NO_GROUP)
                .get("/api/customers/{id}", "c1")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString(NO_GROUP.id));
        // analysts read reports, not customers' personal data, and write nothing
        as(ANALYST).get("/api/customers/{id}", "c1").then().statusCode(403);
        as(ANALYST).body(Map.of()).post("/api/orders").then().statusCode(403);
        as(ANALYST).get("/api/no-such-report").then().statusCode(404).contentType("application/problem+json");
        as(SERVICE).get("/actuator/prometheus").then().statusCode(403);
    }

    @Test
    void servicesAndTheAdminWork() {
        String id = "sec-" + UUID.randomUUID().toString().substring(0, 8);
        as(SERVICE)
                .body(Map.of("email", "s@example.com"))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201);
        as(ADMIN).get("/api/customers/{id}", id).then().statusCode(200).body("email", equalTo("s@example.com"));
        as(ADMIN).get("/actuator/prometheus").then().statusCode(200);
        engine(ADMIN).get("/engine-rest/deployment?maxResults=0").then().statusCode(200);
        engine(ADMIN)
                .get("/engine-rest/user/{id}/profile", SERVICE.id)
                .then()
                .statusCode(200)
                .body("id", equalTo(SERVICE.id));
    }

    @Test
    void operatorsAndTheTeamSeeTasklistsFiltersOtherGroupsDoNot() {
        // Tasklist shows tasks only through filters: a group with Tasklist but no filter sees an empty Tasklist
        for (TestUsers user : List.of(OPERATOR, TEAM)) {
            engine(user)
                    .get("/engine-rest/filter?resourceType=Task")
                    .then()
                    .statusCode(200)
                    .body("name", hasItem("All tasks"));
        }
        for (TestUsers user : List.of(ANALYST, SERVICE, NO_GROUP)) {
            engine(user)
                    .get("/engine-rest/filter?resourceType=Task")
                    .then()
                    .statusCode(200)
                    .body("name", not(hasItem("All tasks")));
        }
    }

    @Test
    void modelerStyleDeploymentWithBasicAuthDeploysTheBpmnFile() throws IOException {
        byte[] bpmn = new ClassPathResource("modeler/Process_ModelerCheck.bpmn").getContentAsByteArray();
        engine(ADMIN).get("/engine-rest/deployment?maxResults=0").then().statusCode(200);

        var deployed = engine(ANALYST)
                .multiPart("deployment-name", "Process_ModelerCheck")
                .multiPart("deployment-source", "Camunda Modeler")
                .multiPart("deploy-changed-only", "true")
                .multiPart("Process_ModelerCheck.bpmn", "Process_ModelerCheck.bpmn", bpmn, "application/octet-stream")
                .post("/engine-rest/deployment/create")
                .then()
                .statusCode(200)
                .body("source", equalTo("Camunda Modeler"))
                .body(
                        "deployedProcessDefinitions",
                        org.hamcrest.Matchers.aMapWithSize(org.hamcrest.Matchers.lessThan(2)))
                .extract()
                .jsonPath();
        assertThat(repositoryService
                        .createProcessDefinitionQuery()
                        .processDefinitionKey("Process_ModelerCheck")
                        .latestVersion()
                        .singleResult())
                .isNotNull();

        // a service may call Loyalflow's API but has no Camunda authorization to deploy
        engine(SERVICE)
                .multiPart("deployment-name", "Process_ModelerCheck")
                .multiPart("Process_ModelerCheck.bpmn", "Process_ModelerCheck.bpmn", bpmn, "application/octet-stream")
                .post("/engine-rest/deployment/create")
                .then()
                .statusCode(403);
        assertThat(deployed.getString("id")).isNotBlank();
    }

    @Test
    void cockpitServesItsLoginPageAndTheRootLeadsThere() {
        RestAssured.given()
                .port(port)
                .redirects()
                .follow(false)
                .get("/")
                .then()
                .statusCode(302)
                .header("Location", containsString("/camunda/app/"));
        RestAssured.given()
                .port(port)
                .get("/camunda/app/cockpit/default/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("Cockpit"));
        // the webapps' own API needs a login session
        RestAssured.given()
                .port(port)
                .get("/camunda/api/cockpit/plugin/base/default/process-definition/statistics")
                .then()
                .statusCode(401);
    }

    @Test
    void healthIsOpenAndShowsDatabaseAndEngineToMonitoring() {
        anonymous().get("/actuator/health").then().statusCode(200).body("status", equalTo("UP"));
        as(MONITORING)
                .get("/actuator/health")
                .then()
                .statusCode(200)
                .body("components", hasKey("db"))
                .body("components", hasKey("processEngine"))
                .body("components.db.status", equalTo("UP"))
                .body("components.processEngine.status", equalTo("UP"));
        as(MONITORING).get("/actuator/prometheus").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
