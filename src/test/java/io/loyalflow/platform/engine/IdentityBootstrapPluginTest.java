package io.loyalflow.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.loyalflow.platform.security.LoyalflowGroups;
import io.loyalflow.testsupport.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.spring.SpringProcessEngineConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Nodes starting on one database prepare the identity service once, completely. */
@Tag("database")
class IdentityBootstrapPluginTest {

    private HikariDataSource dataSource;
    private DataSourceTransactionManager transactionManager;
    private ProcessEngine engine;

    @BeforeEach
    void startEngine() {
        TestDatabase database = TestDatabase.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(database.url());
        dataSource.setUsername(database.username());
        dataSource.setPassword(database.password());
        transactionManager = new DataSourceTransactionManager(dataSource);
        SpringProcessEngineConfiguration configuration = new SpringProcessEngineConfiguration();
        GenericApplicationContext context = new GenericApplicationContext();
        context.refresh();
        configuration.setApplicationContext(context);
        configuration.setDataSource(dataSource);
        configuration.setTransactionManager(transactionManager);
        configuration.setDatabaseSchemaUpdate("true");
        configuration.setJobExecutorActivate(false);
        configuration.setProcessEngineName("identity-bootstrap-" + UUID.randomUUID());
        configuration.setAuthorizationEnabled(true);
        configuration.setGeneralResourceWhitelistPattern("[a-zA-Z0-9][a-zA-Z0-9._@-]*");
        engine = configuration.buildProcessEngine();
    }

    @AfterEach
    void closeEngine() {
        engine.close();
        dataSource.close();
    }

    /** A group's authorizations but the one Camunda adds itself (members may read their own group). */
    private List<Authorization> loyalflowGrants(String groupId) {
        return engine.getAuthorizationService().createAuthorizationQuery().groupIdIn(groupId).list().stream()
                .filter(a ->
                        !(a.getResourceType() == Resources.GROUP.resourceType() && groupId.equals(a.getResourceId())))
                .toList();
    }

    private IdentityBootstrapPlugin node(String password) {
        return new IdentityBootstrapPlugin(
                new AdminCredentials("admin", password, true), new TransactionTemplate(transactionManager));
    }

    @Test
    void nodesStartingAtOnceCreateEachGroupOnceWithAllItsAuthorizations() throws Exception {
        int nodes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                started.add(pool.submit(() -> {
                    start.await();
                    node("same-password-everywhere").postProcessEngineBuild(engine);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> node : started) {
                node.get();
            }
        } finally {
            pool.shutdownNow();
        }

        var identity = engine.getIdentityService();
        var authorizations = engine.getAuthorizationService();
        IdentityBootstrapPlugin.groupDefinitions().forEach((group, grants) -> {
            assertThat(identity.createGroupQuery().groupId(group.id()).count())
                    .as(group.id())
                    .isOne();
            long targets = grants.stream()
                    .map(g -> g.resource().resourceType() + "/" + g.resourceId())
                    .distinct()
                    .count();
            assertThat(loyalflowGrants(group.id())).as(group.id()).hasSize((int) targets);
        });
        assertThat(identity.createUserQuery().userId("admin").count()).isOne();
        assertThat(identity.checkPassword("admin", "same-password-everywhere")).isTrue();
        assertThat(identity.createGroupQuery()
                        .groupMember("admin")
                        .groupId(LoyalflowGroups.ADMIN)
                        .count())
                .isOne();
    }

    @Test
    void groupsGetTheirDocumentedRightsAndAdminChangesSurviveARestart() {
        node("first-password-123").postProcessEngineBuild(engine);
        var authorizations = engine.getAuthorizationService();
        Authorization analystDeployments = authorizations
                .createAuthorizationQuery()
                .groupIdIn(LoyalflowGroups.ANALYST)
                .resourceType(Resources.DEPLOYMENT)
                .singleResult();
        assertThat(analystDeployments.isPermissionGranted(Permissions.CREATE)).isTrue();
        assertThat(analystDeployments.isPermissionGranted(Permissions.READ)).isTrue();
        assertThat(analystDeployments.isPermissionGranted(Permissions.DELETE)).isFalse();
        assertThat(loyalflowGrants(LoyalflowGroups.SERVICE)).isEmpty();

        // an administrator takes the analysts' right to deploy away in Camunda Admin
        analystDeployments.removePermission(Permissions.CREATE);
        authorizations.saveAuthorization(analystDeployments);
        node("second-password-456").postProcessEngineBuild(engine);

        assertThat(authorizations
                        .createAuthorizationQuery()
                        .groupIdIn(LoyalflowGroups.ANALYST)
                        .resourceType(Resources.DEPLOYMENT)
                        .singleResult()
                        .isPermissionGranted(Permissions.CREATE))
                .isFalse();
        assertThat(engine.getIdentityService().checkPassword("admin", "second-password-456"))
                .isTrue();
    }
}
