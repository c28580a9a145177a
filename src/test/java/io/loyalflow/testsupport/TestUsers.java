package io.loyalflow.testsupport;

import io.loyalflow.messaging.TestRecipients;
import io.loyalflow.platform.security.LoyalflowGroups;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;

/**
 * Users of the identity service that tests call the API as, one per group. The analyst has the
 * verified e-mail and phone an administrator gives analysts for their own test sends.
 */
public enum TestUsers {
    ADMIN("admin", "admin-password-for-tests", null),
    SERVICE("shop-service", "service-password-for-tests", LoyalflowGroups.SERVICE),
    ANALYST("ana.analyst", "analyst-password-for-tests", LoyalflowGroups.ANALYST, "qa@example.com", "+12125550188"),
    OPERATOR("otto.operator", "operator-password-for-tests", LoyalflowGroups.OPERATOR),
    MONITORING("prometheus", "monitoring-password-for-tests", LoyalflowGroups.MONITORING),
    TEAM("tina.team", "team-password-for-tests", LoyalflowGroups.TEAM),
    NO_GROUP("no-group-user", "nogroup-password-for-tests", null),
    /** Takes wrong passwords, which make Camunda delay and finally lock the user: keep it away from other tests. */
    LOCKOUT_PROBE("lockout-probe", "lockout-password-for-tests", LoyalflowGroups.SERVICE);

    public final String id;
    public final String password;
    private final String group;
    /** The verified e-mail of the user's profile, or null. */
    public final String email;
    /** The verified phone (E.164) for the user's test SMS, or null. */
    public final String phone;

    TestUsers(String id, String password, String group) {
        this(id, password, group, null, null);
    }

    TestUsers(String id, String password, String group, String email, String phone) {
        this.id = id;
        this.password = password;
        this.group = group;
        this.email = email;
        this.phone = phone;
    }

    /** Creates the users that do not exist yet (the admin comes from Loyalflow's own bootstrap). */
    public static void ensure(IdentityService identity) {
        for (TestUsers user : values()) {
            if (user == ADMIN || identity.createUserQuery().userId(user.id).count() > 0) {
                continue;
            }
            User created = identity.newUser(user.id);
            created.setPassword(user.password);
            created.setFirstName(user.name());
            created.setLastName("Test");
            created.setEmail(user.email);
            identity.saveUser(created);
            if (user.phone != null) {
                identity.setUserInfo(user.id, TestRecipients.PHONE_INFO_KEY, user.phone);
            }
            if (user.group != null) {
                identity.createMembership(user.id, user.group);
            }
        }
    }
}
