package io.loyalflow.platform.engine;

import static org.camunda.bpm.engine.authorization.Authorization.ANY;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import io.loyalflow.platform.security.LoyalflowGroups;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.BatchPermissions;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Prepares Camunda's identity service, Loyalflow's only user store: the first administrator and
 * the groups Loyalflow's endpoints know. A group's authorizations are written when the group is
 * created and left alone afterwards, so what an administrator changes in Camunda Admin survives
 * restarts.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class IdentityBootstrapPlugin extends AbstractProcessEnginePlugin {

    private static final Logger log = LoggerFactory.getLogger(IdentityBootstrapPlugin.class);
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final AdminCredentials credentials;
    private final TransactionTemplate transactions;

    /**
     * {@link AdminCredentialsCheck} has refused to start already if credentials are required and
     * missing. Camunda's commands join the Spring transaction, so a group is created with all its
     * authorizations or not at all, and the administrator with the membership.
     */
    public IdentityBootstrapPlugin(AdminCredentials credentials, TransactionTemplate transactions) {
        this.credentials = credentials;
        this.transactions = transactions;
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        IdentityService identity = engine.getIdentityService();
        AuthorizationService authorizations = engine.getAuthorizationService();
        groupDefinitions().forEach((group, grants) -> ensureGroup(identity, authorizations, group, grants));
        ensureAdmin(identity);
    }

    private void ensureAdmin(IdentityService identity) {
        String userId = credentials.userOrDefault();
        User existing = identity.createUserQuery().userId(userId).singleResult();
        if (existing == null) {
            String password = credentials.password() != null ? credentials.password() : generatePassword();
            boolean created = createdUnlessRaced(
                    () -> {
                        User admin = identity.newUser(userId);
                        admin.setFirstName("Loyalflow");
                        admin.setLastName("Administrator");
                        admin.setPassword(password);
                        identity.saveUser(admin);
                        identity.createMembership(userId, LoyalflowGroups.ADMIN);
                    },
                    () -> identity.createUserQuery().userId(userId).count() > 0);
            if (!created) {
                log.info("Administrator '{}' was created by another node starting at the same time", userId);
            } else if (credentials.password() == null) {
                announceGeneratedPassword(userId, password);
            } else {
                log.info("Created administrator '{}' from LOYALFLOW_ADMIN_USER / LOYALFLOW_ADMIN_PASSWORD", userId);
            }
        } else if (credentials.password() != null && !identity.checkPassword(userId, credentials.password())) {
            // the failed check counted as a login attempt and changed the user: read it again
            User current = identity.createUserQuery().userId(userId).singleResult();
            current.setPassword(credentials.password());
            identity.saveUser(current);
            identity.unlockUser(userId);
            log.info("Administrator '{}': password reset to LOYALFLOW_ADMIN_PASSWORD", userId);
        } else if (credentials.password() == null) {
            log.info(
                    "Administrator '{}' exists; its generated password was shown at its first start. "
                            + "Set LOYALFLOW_ADMIN_PASSWORD to reset it.",
                    userId);
        }
        BooleanSupplier isAdmin = () -> identity.createGroupQuery()
                        .groupId(LoyalflowGroups.ADMIN)
                        .groupMember(userId)
                        .count()
                > 0;
        if (!isAdmin.getAsBoolean()) {
            createdUnlessRaced(() -> identity.createMembership(userId, LoyalflowGroups.ADMIN), isAdmin);
        }
    }

    private static void announceGeneratedPassword(String userId, String password) {
        String line = "=".repeat(78);
        log.warn(
                "\n{}\n  Loyalflow created the administrator '{}' with this generated password:\n\n      {}\n\n"
                        + "  It is shown only this once. Log into Cockpit with it, or set LOYALFLOW_ADMIN_PASSWORD\n"
                        + "  to choose your own (the next start applies it).\n{}",
                line,
                userId,
                password,
                line);
    }

    static String generatePassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    /**
     * Runs {@code creation} in one transaction. When another node created the same thing at the same
     * moment, our transaction fails on the unique key and rolls back: that is fine if
     * {@code existsNow}.
     */
    private boolean createdUnlessRaced(Runnable creation, BooleanSupplier existsNow) {
        try {
            transactions.executeWithoutResult(tx -> creation.run());
            return true;
        } catch (RuntimeException e) {
            if (existsNow.getAsBoolean()) {
                return false;
            }
            throw e;
        }
    }

    private void ensureGroup(
            IdentityService identity,
            AuthorizationService authorizations,
            GroupDefinition definition,
            List<Grant> grants) {
        if (identity.createGroupQuery().groupId(definition.id()).count() > 0) {
            return;
        }
        boolean created = createdUnlessRaced(
                () -> createGroup(identity, authorizations, definition, grants),
                () -> identity.createGroupQuery().groupId(definition.id()).count() > 0);
        if (!created) {
            log.info("Group '{}' was created by another node starting at the same time", definition.id());
        }
    }

    private static void createGroup(
            IdentityService identity,
            AuthorizationService authorizations,
            GroupDefinition definition,
            List<Grant> grants) {
        Group group = identity.newGroup(definition.id());
        group.setName(definition.name());
        group.setType(definition.type());
        identity.saveGroup(group);
        // Camunda keeps one authorization per group, resource type and resource id.
        Map<List<Object>, List<Grant>> byTarget = grants.stream()
                .collect(Collectors.groupingBy(
                        grant -> List.of(grant.resource().resourceType(), grant.resourceId()),
                        LinkedHashMap::new,
                        Collectors.toList()));
        for (List<Grant> sameTarget : byTarget.values()) {
            Authorization authorization = authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
            authorization.setGroupId(definition.id());
            authorization.setResource(sameTarget.get(0).resource());
            authorization.setResourceId(sameTarget.get(0).resourceId());
            sameTarget.stream().flatMap(grant -> grant.permissions().stream()).forEach(authorization::addPermission);
            authorizations.saveAuthorization(authorization);
        }
        log.info("Created group '{}' with {} authorization(s)", definition.id(), byTarget.size());
    }

    record GroupDefinition(String id, String name, String type) {}

    record Grant(Resource resource, String resourceId, List<Permission> permissions) {
        static Grant all(Resource resource, Permission... permissions) {
            return new Grant(resource, ANY, List.of(permissions));
        }
    }

    static Map<GroupDefinition, List<Grant>> groupDefinitions() {
        List<Grant> adminGrants = Arrays.stream(Resources.values())
                .map(resource -> Grant.all(resource, Permissions.ALL))
                .toList();
        List<Grant> cockpitRead = List.of(
                new Grant(Resources.APPLICATION, "cockpit", List.of(Permissions.ACCESS)),
                new Grant(Resources.APPLICATION, "welcome", List.of(Permissions.ACCESS)),
                Grant.all(Resources.DEPLOYMENT, Permissions.READ),
                Grant.all(
                        Resources.PROCESS_DEFINITION,
                        ProcessDefinitionPermissions.READ,
                        ProcessDefinitionPermissions.READ_HISTORY,
                        ProcessDefinitionPermissions.READ_INSTANCE),
                Grant.all(Resources.PROCESS_INSTANCE, ProcessInstancePermissions.READ),
                Grant.all(Resources.DECISION_DEFINITION, Permissions.READ, Permissions.READ_HISTORY),
                Grant.all(Resources.DECISION_REQUIREMENTS_DEFINITION, Permissions.READ));
        List<Grant> analystGrants = new ArrayList<>(cockpitRead);
        analystGrants.add(Grant.all(Resources.DEPLOYMENT, Permissions.CREATE));
        List<Grant> operatorGrants = new ArrayList<>(cockpitRead);
        operatorGrants.addAll(List.of(
                new Grant(Resources.APPLICATION, "tasklist", List.of(Permissions.ACCESS)),
                // Tasklist lists tasks only through filters: without reading them an operator's Tasklist is empty
                Grant.all(Resources.FILTER, Permissions.READ),
                Grant.all(
                        Resources.PROCESS_DEFINITION,
                        ProcessDefinitionPermissions.UPDATE_INSTANCE,
                        ProcessDefinitionPermissions.RETRY_JOB,
                        ProcessDefinitionPermissions.SUSPEND_INSTANCE,
                        ProcessDefinitionPermissions.MIGRATE_INSTANCE),
                Grant.all(
                        Resources.PROCESS_INSTANCE,
                        ProcessInstancePermissions.UPDATE,
                        ProcessInstancePermissions.RETRY_JOB,
                        ProcessInstancePermissions.SUSPEND),
                Grant.all(
                        Resources.BATCH,
                        BatchPermissions.CREATE,
                        BatchPermissions.READ,
                        BatchPermissions.CREATE_BATCH_SET_JOB_RETRIES,
                        BatchPermissions.CREATE_BATCH_MIGRATE_PROCESS_INSTANCES),
                Grant.all(Resources.TASK, Permissions.READ, Permissions.UPDATE)));
        // Tasks reach the team as candidates: Camunda grants a candidate group READ and UPDATE on that task
        // itself, so the team needs no right on tasks in general, only Tasklist, its filters, and the
        // process definitions Tasklist names the tasks by.
        List<Grant> teamGrants = List.of(
                new Grant(Resources.APPLICATION, "tasklist", List.of(Permissions.ACCESS)),
                new Grant(Resources.APPLICATION, "welcome", List.of(Permissions.ACCESS)),
                Grant.all(Resources.FILTER, Permissions.READ),
                Grant.all(Resources.PROCESS_DEFINITION, ProcessDefinitionPermissions.READ));
        var definitions = new LinkedHashMap<GroupDefinition, List<Grant>>();
        definitions.put(
                new GroupDefinition(LoyalflowGroups.ADMIN, "Camunda BPM Administrators", Groups.GROUP_TYPE_SYSTEM),
                adminGrants);
        definitions.put(
                new GroupDefinition(LoyalflowGroups.SERVICE, "Loyalflow client services", Groups.GROUP_TYPE_WORKFLOW),
                List.of());
        definitions.put(
                new GroupDefinition(
                        LoyalflowGroups.ANALYST, "Loyalflow analysts and marketers", Groups.GROUP_TYPE_WORKFLOW),
                List.copyOf(analystGrants));
        definitions.put(
                new GroupDefinition(LoyalflowGroups.OPERATOR, "Loyalflow operators", Groups.GROUP_TYPE_WORKFLOW),
                List.copyOf(operatorGrants));
        definitions.put(
                new GroupDefinition(
                        LoyalflowGroups.TEAM, "Loyalflow team (Tasklist tasks)", Groups.GROUP_TYPE_WORKFLOW),
                teamGrants);
        definitions.put(
                new GroupDefinition(LoyalflowGroups.MONITORING, "Loyalflow monitoring", Groups.GROUP_TYPE_WORKFLOW),
                List.of());
        return definitions;
    }
}
