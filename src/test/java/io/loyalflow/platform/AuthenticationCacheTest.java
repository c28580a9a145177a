package io.loyalflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.platform.security.LoyalflowGroups;
import io.loyalflow.testsupport.DatabaseTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Successful HTTP Basic checks are remembered for a few seconds, but never past a change of the user: a
 * changed password, a removed membership or a deleted user takes effect with the next request.
 */
class AuthenticationCacheTest extends DatabaseTest {

    @Autowired
    IdentityService identity;

    @Autowired
    MeterRegistry meters;

    private String userId;

    @BeforeEach
    void createServiceUser() {
        userId = "cache-probe-" + UUID.randomUUID().toString().substring(0, 8);
        User user = identity.newUser(userId);
        user.setPassword("first-password");
        identity.saveUser(user);
        identity.createMembership(userId, LoyalflowGroups.SERVICE);
    }

    @AfterEach
    void deleteServiceUser() {
        if (identity.createUserQuery().userId(userId).count() > 0) {
            identity.deleteUser(userId);
        }
    }

    private RequestSpecification as(String password) {
        return RestAssured.given().port(port).auth().preemptive().basic(userId, password);
    }

    private int cartLookup(String password) {
        return as(password).get("/api/carts/{id}", "no-such-cart").statusCode();
    }

    private double hits() {
        return meters.counter("loyalflow.security.authentication.cache", "result", "hit")
                .count();
    }

    @Test
    void aRepeatedRequestIsAnsweredFromMemory() {
        assertThat(cartLookup("first-password")).isEqualTo(404);
        double before = hits();
        assertThat(cartLookup("first-password")).isEqualTo(404);
        assertThat(hits()).isEqualTo(before + 1);
    }

    @Test
    void aWrongPasswordIsRefusedEvenRightAfterTheRightOne() {
        assertThat(cartLookup("first-password")).isEqualTo(404);
        assertThat(cartLookup("first-password ")).isEqualTo(401);
        assertThat(cartLookup("FIRST-PASSWORD")).isEqualTo(401);
        assertThat(cartLookup("first-password")).isEqualTo(404);
    }

    @Test
    void aChangedPasswordTakesEffectAtOnce() {
        assertThat(cartLookup("first-password")).isEqualTo(404);
        assertThat(cartLookup("first-password")).isEqualTo(404);
        User user = identity.createUserQuery().userId(userId).singleResult();
        user.setPassword("second-password");
        identity.saveUser(user);
        // the new one first: after a failed attempt Camunda makes the user wait a few seconds
        assertThat(cartLookup("second-password")).isEqualTo(404);
        assertThat(cartLookup("first-password")).isEqualTo(401);
    }

    @Test
    void aRemovedMembershipTakesEffectAtOnce() {
        assertThat(cartLookup("first-password")).isEqualTo(404);
        assertThat(cartLookup("first-password")).isEqualTo(404);
        identity.deleteMembership(userId, LoyalflowGroups.SERVICE);
        assertThat(cartLookup("first-password")).isEqualTo(403);
        identity.createMembership(userId, LoyalflowGroups.ANALYST);
        assertThat(cartLookup("first-password")).isEqualTo(403);
        assertThat(as("first-password").get("/api/campaigns").statusCode()).isEqualTo(200);
    }

    @Test
    void aDeletedUserIsRefusedAtOnce() {
        assertThat(cartLookup("first-password")).isEqualTo(404);
        assertThat(cartLookup("first-password")).isEqualTo(404);
        identity.deleteUser(userId);
        assertThat(cartLookup("first-password")).isEqualTo(401);
    }
}
