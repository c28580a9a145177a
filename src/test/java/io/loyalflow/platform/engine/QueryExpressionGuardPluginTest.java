package io.loyalflow.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyalflow.platform.security.LoyalflowGroups;
import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.TestUsers;
import java.time.Instant;
import java.util.List;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.task.TaskQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The guard at the engine itself, through the Java API every other API ends in. The probe expression
 * moves the test clock a year ahead when the engine evaluates it.
 */
class QueryExpressionGuardPluginTest extends DatabaseTest {

    private static final String PROBE =
            "${testClock.set(testClock.instant().plusSeconds(31536000)) == null ? 'nobody' : 'nobody'}";

    @Autowired
    TaskService taskService;

    @Autowired
    FilterService filterService;

    @AfterEach
    void cleanUp() {
        identityService.clearAuthentication();
        filterService
                .createFilterQuery()
                .filterNameLike("guard-probe%")
                .list()
                .forEach(filter -> filterService.deleteFilter(filter.getId()));
    }

    @Test
    void orQueriesWithExpressionsAreRefusedBeforeTheyRunWhoeverAsks() {
        for (List<String> groups : List.of(List.<String>of(), List.of(LoyalflowGroups.ADMIN))) {
            identityService.setAuthentication(TestUsers.NO_GROUP.id, groups);
            assertThatThrownBy(() -> taskService
                            .createTaskQuery()
                            .or()
                            .taskAssigneeExpression(PROBE)
                            .endOr()
                            .list())
                    .isInstanceOf(BadUserRequestException.class)
                    .hasMessageContaining("orQueries[0].taskAssigneeExpression");
            assertThatThrownBy(() -> taskService
                            .createTaskQuery()
                            .taskName("x")
                            .or()
                            .taskName("y")
                            .endOr()
                            .or()
                            .taskCandidateGroupExpression(PROBE)
                            .endOr()
                            .count())
                    .isInstanceOf(BadUserRequestException.class)
                    .hasMessageContaining("orQueries[1].taskCandidateGroupExpression");
            assertNotEvaluated();
        }
        identityService.clearAuthentication();
        // queries without expressions, or-queries included, run as before
        assertThat(taskService
                        .createTaskQuery()
                        .or()
                        .taskName("x")
                        .taskNameLike("%y%")
                        .endOr()
                        .count())
                .isZero();
    }

    @Test
    void onlyAdministratorsAndTheEnginesOwnCodeStoreFiltersWithExpressionsAndNobodyExtendsOneWithThem() {
        // drafted by the engine's own code, saved by a user who may create filters (had an administrator granted it)
        Filter assignedToProbe = filterWith(taskService.createTaskQuery().taskAssigneeExpression(PROBE));
        Filter dueNow = filterWith(
                taskService.createTaskQuery().or().dueDateExpression("${now()}").endOr());
        identityService.setAuthentication(TestUsers.TEAM.id, List.of(LoyalflowGroups.TEAM));
        assertThatThrownBy(() -> filterService.saveFilter(assignedToProbe))
                .isInstanceOf(BadUserRequestException.class)
                .hasMessageContaining("taskAssigneeExpression");
        assertThatThrownBy(() -> filterService.saveFilter(dueNow))
                .isInstanceOf(BadUserRequestException.class)
                .hasMessageContaining("orQueries[0].dueDateExpression");
        assertThat(filterService
                        .createFilterQuery()
                        .filterNameLike("guard-probe%")
                        .count())
                .isZero();

        identityService.setAuthentication(TestUsers.ADMIN.id, List.of(LoyalflowGroups.ADMIN));
        Filter myTasks = filterService.saveFilter(
                filterWith(taskService.createTaskQuery().taskAssigneeExpression("${currentUser()}")));
        identityService.clearAuthentication();
        assertThat(filterService.saveFilter(
                        filterWith(taskService.createTaskQuery().taskAssigneeExpression("${currentUser()}"))))
                .isNotNull();

        // any user runs what an administrator stored, but nobody extends it with an expression of their own
        for (List<String> groups : List.of(List.of(LoyalflowGroups.TEAM), List.of(LoyalflowGroups.ADMIN))) {
            identityService.setAuthentication(TestUsers.TEAM.id, groups);
            assertThat(filterService.count(myTasks.getId())).isZero();
            assertThatThrownBy(() -> filterService.list(
                            myTasks.getId(),
                            taskService
                                    .createTaskQuery()
                                    .or()
                                    .taskCandidateUserExpression(PROBE)
                                    .endOr()))
                    .isInstanceOf(BadUserRequestException.class)
                    .hasMessageContaining("orQueries[0].taskCandidateUserExpression");
            assertThatThrownBy(() -> filterService.count(
                            myTasks.getId(), taskService.createTaskQuery().taskOwnerExpression(PROBE)))
                    .isInstanceOf(BadUserRequestException.class)
                    .hasMessageContaining("taskOwnerExpression");
            assertNotEvaluated();
        }
    }

    private Filter filterWith(TaskQuery query) {
        return filterService.newTaskFilter("guard-probe").setQuery(query);
    }

    private void assertNotEvaluated() {
        assertThat(clock.instant()).isBefore(Instant.now().plusSeconds(86400));
    }
}
