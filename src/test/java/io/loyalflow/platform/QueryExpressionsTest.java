package io.loyalflow.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.loyalflow.platform.security.LoyalflowGroups;
import io.loyalflow.testsupport.IntegrationTest;
import io.loyalflow.testsupport.TestUsers;
import io.restassured.RestAssured;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.rest.impl.DefaultProcessEngineRestServiceImpl;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Nobody makes the engine evaluate an expression they wrote through a query, whatever the API and
 * the nesting: ad-hoc queries (a filter's extending query included) with an expression anywhere are
 * refused for every user, stored queries (filters) with expressions are for administrators only. The query endpoints are found in the engine
 * REST API's own JAX-RS resources and DTOs, so an endpoint or criterion a Camunda upgrade adds is
 * probed too. Each probe's expression moves the test clock a year ahead: the clock shows whether the
 * engine evaluated it.
 */
class QueryExpressionsTest extends IntegrationTest {

    private static final String PROBE_FILTER = "expression-probe";
    private static final Duration PROBE_JUMP = Duration.ofDays(365);
    private static final String ENGINE_REST = "/engine-rest";
    private static final String WEBAPP_ENGINE_API = "/camunda/api/engine/engine/default";
    private static final List<QueryEndpoint> ENDPOINTS = QueryEndpoints.discover();

    @Autowired
    FilterService filterService;

    @Autowired
    TaskService taskService;

    @Autowired
    AuthorizationService authorizationService;

    private String probeFilterId;
    private String everyoneCreatesFilters;

    @BeforeEach
    void probeFilterReadableByEveryone() {
        // as an administrator shares a Tasklist filter with all users, and lets them create their own:
        // everyone gets past Camunda's authorizations to the expression check
        Filter filter = filterService.newTaskFilter(PROBE_FILTER);
        probeFilterId = filterService.saveFilter(filter).getId();
        grantToEveryone(probeFilterId, Permissions.READ);
        everyoneCreatesFilters = grantToEveryone(Authorization.ANY, Permissions.CREATE);
        clock.reset();
    }

    @AfterEach
    void removeProbeFilters() {
        authorizationService.deleteAuthorization(everyoneCreatesFilters);
        filterService
                .createFilterQuery()
                .filterNameLike(PROBE_FILTER + "%")
                .list()
                .forEach(filter -> filterService.deleteFilter(filter.getId()));
    }

    @Test
    void theEngineRestApiHasQueryEndpointsWithExpressionCriteria() {
        // a guard against a discovery that silently finds nothing
        assertThat(ENDPOINTS)
                .extracting(QueryEndpoint::toString)
                .contains(
                        "POST /task",
                        "GET /task",
                        "POST /task/count",
                        "POST /filter/create",
                        "PUT /filter/{id}",
                        "POST /filter/{id}/list");
        assertThat(ENDPOINTS)
                .allSatisfy(endpoint -> assertThat(endpoint.criteria()).isNotEmpty());
        assertThat(ENDPOINTS.stream().flatMap(endpoint -> endpoint.criteria().stream()))
                .anySatisfy(criterion -> assertThat(criterion.name()).isEqualTo("orQueries[0].assigneeExpression"));
    }

    /** Every criterion of every query endpoint, as a user in no group: the finding's own attacker. */
    @TestFactory
    Stream<DynamicTest> everyExpressionCriterionIsRefusedToAUserInNoGroup() {
        Caller caller = Caller.engineRest(TestUsers.NO_GROUP);
        return ENDPOINTS.stream()
                .map(endpoint -> DynamicTest.dynamicTest(
                        endpoint.toString(), () -> probe(caller, endpoint, endpoint.criteria())));
    }

    /** Every identity at every query endpoint and nesting, through the engine REST API and the webapps' API. */
    @TestFactory
    Stream<DynamicTest> everyIdentityAtEveryQueryEndpoint() {
        List<Caller> callers = new ArrayList<>();
        callers.add(Caller.anonymous());
        for (TestUsers user : TestUsers.values()) {
            if (user != TestUsers.LOCKOUT_PROBE) {
                callers.add(Caller.engineRest(user));
            }
        }
        callers.add(Caller.anonymousWebapp());
        for (TestUsers user : TestUsers.values()) {
            if (user != TestUsers.LOCKOUT_PROBE) {
                callers.add(Caller.webapp(user));
            }
        }
        return callers.stream()
                .map(caller -> DynamicTest.dynamicTest(caller.toString(), () -> {
                    caller.connect(port);
                    for (QueryEndpoint endpoint : ENDPOINTS) {
                        probe(
                                caller,
                                endpoint,
                                onePerNesting(
                                        endpoint.criteria(), caller.toString().hashCode()));
                    }
                }));
    }

    @Test
    void tasklistsOwnUseStillWorksForTheTeamAndOperators() {
        String candidateTask = newTask("Call this customer", null);
        String ownTask = newTask("Send a signed gift", TestUsers.TEAM.id);
        // an administrator's "My tasks" filter with an expression, shared with everyone, as Tasklist's default filters
        // are
        Caller admin = Caller.engineRest(TestUsers.ADMIN);
        admin.connect(port);
        String myTasks = admin.request()
                .body(Map.of(
                        "resourceType",
                        "Task",
                        "name",
                        PROBE_FILTER + "-my-tasks",
                        "query",
                        Map.of("assigneeExpression", "${currentUser()}")))
                .post(ENGINE_REST + "/filter/create")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        grantToEveryone(myTasks, Permissions.READ);
        String allTasks = filterService
                .createFilterQuery()
                .filterName("All tasks")
                .singleResult()
                .getId();
        try {
            for (Caller team : List.of(Caller.webapp(TestUsers.TEAM), Caller.engineRest(TestUsers.TEAM))) {
                team.connect(port);
                assertThat(taskIds(team.request()
                                .body(tasklistBody(Map.of()))
                                .post(team.base() + "/filter/" + allTasks + "/list?firstResult=0&maxResults=15")))
                        .contains(candidateTask, ownTask);
                assertThat(taskIds(team.request()
                                .body(tasklistBody(Map.of()))
                                .post(team.base() + "/filter/" + myTasks + "/list?firstResult=0&maxResults=15")))
                        .contains(ownTask)
                        .doesNotContain(candidateTask);
                // Tasklist's search with "match any" sends its criteria as an or-query
                assertThat(taskIds(team.request()
                                .body(tasklistBody(Map.of(
                                        "orQueries",
                                        List.of(Map.of(
                                                "processVariables",
                                                List.of(),
                                                "taskVariables",
                                                List.of(),
                                                "caseInstanceVariables",
                                                List.of(),
                                                "nameLike",
                                                "%signed gift%")))))
                                .post(team.base() + "/filter/" + allTasks + "/list")))
                        .contains(ownTask)
                        .doesNotContain(candidateTask);
                team.request()
                        .body(tasklistBody(Map.of()))
                        .post(team.base() + "/filter/" + allTasks + "/count")
                        .then()
                        .statusCode(200);
            }
            for (Caller operator : List.of(Caller.webapp(TestUsers.OPERATOR), Caller.engineRest(TestUsers.OPERATOR))) {
                operator.connect(port);
                assertThat(taskIds(operator.request()
                                .body(Map.of("orQueries", List.of(Map.of("nameLike", "%customer%"))))
                                .post(operator.base() + "/task")))
                        .contains(candidateTask)
                        .doesNotContain(ownTask);
            }
        } finally {
            taskService.deleteTask(candidateTask, true);
            taskService.deleteTask(ownTask, true);
        }
    }

    /** The probe's other side: an expression an administrator stored runs, for whoever runs the filter. */
    @Test
    void expressionsAnAdministratorStoredRunForEveryUser() {
        String probe = new Criterion(List.of("assigneeExpression"), String.class, Map.of()).expression();
        Caller admin = Caller.engineRest(TestUsers.ADMIN);
        admin.connect(port);
        String filterId = admin.request()
                .body(Map.of(
                        "resourceType",
                        "Task",
                        "name",
                        PROBE_FILTER + "-admins",
                        "query",
                        Map.of("orQueries", List.of(Map.of("assigneeExpression", probe)))))
                .post(ENGINE_REST + "/filter/create")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        grantToEveryone(filterId, Permissions.READ);
        assertThat(clock.instant())
                .as("evaluated when stored")
                .isBefore(Instant.now().plus(PROBE_JUMP.dividedBy(2)));

        Caller team = Caller.engineRest(TestUsers.TEAM);
        team.connect(port);
        team.request()
                .body(Map.of())
                .post(ENGINE_REST + "/filter/" + filterId + "/list")
                .then()
                .statusCode(200);
        assertThat(clock.instant())
                .as("evaluated when run")
                .isAfter(Instant.now().plus(PROBE_JUMP.dividedBy(2)));
    }

    @Test
    void adminSetupStaysClosedWhenCamundaAdminHasNoDirectMember() {
        List<String> admins = identityService.createUserQuery().memberOfGroup(LoyalflowGroups.ADMIN).list().stream()
                .map(User::getId)
                .toList();
        admins.forEach(admin -> identityService.deleteMembership(admin, LoyalflowGroups.ADMIN));
        String intruder = "setup-intruder";
        try {
            assertThat(identityService
                            .createUserQuery()
                            .memberOfGroup(LoyalflowGroups.ADMIN)
                            .count())
                    .isZero();
            // as a stranger would: a fresh webapp session with its CSRF token, no login
            Caller stranger = Caller.anonymousWebapp();
            stranger.connect(port);
            Map<String, Object> newAdministrator = Map.of(
                    "profile",
                            Map.of("id", intruder, "firstName", "In", "lastName", "Truder", "email", "in@example.com"),
                    "credentials", Map.of("password", "a-long-password-1"));
            Response answer =
                    stranger.request().body(newAdministrator).post("/camunda/api/admin/setup/default/user/create");
            assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(403);
            // spellings of the same path that the servlet container or JAX-RS may still resolve to the setup
            for (String path : List.of(
                    "/camunda/api/admin/setup/default/user/create/",
                    "/camunda/api/admin/%73etup/default/user/create",
                    "/camunda/api/admin/setup/%64efault/user/create",
                    "/camunda/api/admin/./setup/default/user/create",
                    "/camunda/api/admin/setup/default/user/create;x=1")) {
                Response variant = stranger.request()
                        .urlEncodingEnabled(false)
                        .body(newAdministrator)
                        .post(path);
                assertThat(variant.statusCode())
                        .as(path + ": " + variant.asString())
                        .isBetween(400, 499);
            }
            assertThat(identityService.createUserQuery().userId(intruder).count())
                    .isZero();
            assertThat(identityService
                            .createUserQuery()
                            .memberOfGroup(LoyalflowGroups.ADMIN)
                            .count())
                    .isZero();
        } finally {
            if (identityService.createUserQuery().userId(intruder).count() > 0) {
                identityService.deleteUser(intruder);
            }
            admins.forEach(admin -> identityService.createMembership(admin, LoyalflowGroups.ADMIN));
        }
    }

    private void probe(Caller caller, QueryEndpoint endpoint, List<Criterion> criteria) {
        SoftAssertions softly = new SoftAssertions();
        for (Criterion criterion : criteria) {
            clock.reset();
            Response answer = endpoint.call(caller, criterion, probeFilterId);
            boolean evaluated = clock.instant().isAfter(Instant.now().plus(PROBE_JUMP.dividedBy(2)));
            clock.reset();
            String what = caller + " " + endpoint + " " + criterion.name() + ": " + answer.statusCode() + " "
                    + answer.asString();
            if (!caller.authenticated()) {
                softly.assertThat(answer.statusCode()).as(what).isIn(401, 403);
                softly.assertThat(evaluated).as("evaluated: " + what).isFalse();
            } else if (caller.user() == TestUsers.ADMIN && endpoint.kind() == QueryKind.FILTER_SAVE) {
                // administrators keep filters with expressions: stored as sent (evaluated when the filter runs)
                softly.assertThat(answer.statusCode()).as(what).isBetween(200, 204);
                softly.assertThat(evaluated).as("evaluated: " + what).isFalse();
                restoreProbeFilter();
            } else {
                softly.assertThat(answer.statusCode()).as(what).isEqualTo(400);
                // Camunda's REST API answers any failure of a filter's single result with a message of its own
                softly.assertThat(answer.asString())
                        .as(what)
                        .containsAnyOf(
                                "Expressions are forbidden",
                                endpoint.path().endsWith("/singleResult")
                                        ? "Filter does not returns a valid single result"
                                        : "Expressions are forbidden");
                softly.assertThat(evaluated).as("evaluated: " + what).isFalse();
            }
        }
        softly.assertAll();
    }

    private void restoreProbeFilter() {
        Filter filter = filterService.getFilter(probeFilterId);
        filter.setName(PROBE_FILTER);
        filter.setQuery(taskService.createTaskQuery());
        filterService.saveFilter(filter);
        filterService.createFilterQuery().filterNameLike(PROBE_FILTER + "%").list().stream()
                .filter(other -> !other.getId().equals(probeFilterId))
                .forEach(other -> filterService.deleteFilter(other.getId()));
    }

    private String grantToEveryone(String filterId, Permissions permission) {
        Authorization everyone = authorizationService.createNewAuthorization(Authorization.AUTH_TYPE_GLOBAL);
        everyone.setUserId(Authorization.ANY);
        everyone.setResource(Resources.FILTER);
        everyone.setResourceId(filterId);
        everyone.addPermission(permission);
        return authorizationService.saveAuthorization(everyone).getId();
    }

    private String newTask(String name, String assignee) {
        Task task = taskService.newTask();
        task.setName(name);
        task.setAssignee(assignee);
        taskService.saveTask(task);
        taskService.addCandidateGroup(task.getId(), LoyalflowGroups.TEAM);
        return task.getId();
    }

    /** What Tasklist sends to list a filter's tasks. */
    private static Map<String, Object> tasklistBody(Map<String, Object> search) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of(
                "processVariables",
                List.of(),
                "taskVariables",
                List.of(),
                "caseInstanceVariables",
                List.of(),
                "sorting",
                List.of(Map.of("sortBy", "created", "sortOrder", "desc")),
                "active",
                true));
        body.putAll(search);
        return body;
    }

    private static List<String> taskIds(Response answer) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        return answer.jsonPath().getList("id", String.class);
    }

    /** One criterion per nesting depth, a different one for each caller: every caller meets every depth. */
    private static List<Criterion> onePerNesting(List<Criterion> criteria, int seed) {
        Map<Integer, List<Criterion>> byDepth = new LinkedHashMap<>();
        criteria.forEach(criterion -> byDepth.computeIfAbsent(criterion.depth(), depth -> new ArrayList<>())
                .add(criterion));
        return byDepth.values().stream()
                .map(same -> same.get(Math.floorMod(seed, same.size())))
                .toList();
    }

    // ---------------------------------------------------------------------------------------------
    // Who calls

    /** An identity and the API it calls: the engine REST API with HTTP Basic, or the webapps' API in a login session. */
    static final class Caller {
        private final TestUsers user;
        private final boolean webapp;
        private CookieFilter cookies;
        private String csrfToken;
        private boolean loggedIn;

        private Caller(TestUsers user, boolean webapp) {
            this.user = user;
            this.webapp = webapp;
        }

        static Caller engineRest(TestUsers user) {
            return new Caller(user, false);
        }

        static Caller anonymous() {
            return new Caller(null, false);
        }

        static Caller webapp(TestUsers user) {
            return new Caller(user, true);
        }

        static Caller anonymousWebapp() {
            return new Caller(null, true);
        }

        TestUsers user() {
            return user;
        }

        String base() {
            return webapp ? WEBAPP_ENGINE_API : ENGINE_REST;
        }

        boolean authenticated() {
            return user != null && (!webapp || loggedIn);
        }

        /** Opens a webapp session as a browser does (CSRF token, then the login form of the first app the user may use). */
        void connect(int port) {
            RestAssured.port = port;
            if (!webapp) {
                return;
            }
            cookies = new CookieFilter();
            csrfToken = csrfToken(RestAssured.given().filter(cookies).get("/camunda/app/tasklist/default/"), null);
            if (user == null) {
                return;
            }
            // the welcome page lets every user log in, yet gives no access to the engine API
            for (String app : List.of("tasklist", "cockpit", "admin")) {
                Response login = RestAssured.given()
                        .filter(cookies)
                        .header("X-XSRF-TOKEN", csrfToken)
                        .contentType(ContentType.URLENC)
                        .formParam("username", user.id)
                        .formParam("password", user.password)
                        .post("/camunda/api/admin/auth/user/default/login/" + app);
                csrfToken = csrfToken(login, csrfToken);
                if (login.statusCode() == 200) {
                    loggedIn = true;
                    break;
                }
            }
            // a login renews the session and with it the token
            csrfToken = csrfToken(
                    RestAssured.given().filter(cookies).get("/camunda/api/admin/auth/user/default"), csrfToken);
        }

        /** Camunda's CSRF filter hands out its token in a header and a cookie. */
        private static String csrfToken(Response response, String previous) {
            return Optional.ofNullable(response.header("X-XSRF-TOKEN"))
                    .or(() -> Optional.ofNullable(response.cookie("XSRF-TOKEN")))
                    .orElse(previous);
        }

        RequestSpecification request() {
            RequestSpecification request =
                    RestAssured.given().contentType(ContentType.JSON).accept(ContentType.JSON);
            if (webapp) {
                request = request.filter(cookies).header("X-XSRF-TOKEN", csrfToken);
            } else if (user != null) {
                request = request.auth().preemptive().basic(user.id, user.password);
            }
            return request;
        }

        @Override
        public String toString() {
            return (user == null ? "anonymous" : user.id) + (webapp ? " (webapps)" : " (engine REST)");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // What is called: found in the engine REST API's resources

    enum QueryKind {
        /** A query run as sent. */
        ADHOC,
        /** A query stored as a filter's. */
        FILTER_SAVE,
        /** A query extending a filter's stored query when the filter runs. */
        FILTER_EXTENSION
    }

    /** A criterion holding an expression, at its place in a request body (or a query parameter at the top). */
    record Criterion(List<Object> path, Class<?> valueType, Map<List<Object>, Object> companions) {

        String name() {
            StringBuilder name = new StringBuilder();
            for (Object segment : path) {
                if (segment instanceof Integer index) {
                    name.append('[').append(index).append(']');
                } else {
                    name.append(name.isEmpty() ? "" : ".").append(segment);
                }
            }
            return name.toString();
        }

        int depth() {
            return (int) path.stream().filter(Integer.class::isInstance).count();
        }

        /**
         * An expression with a side effect the test sees (the test clock jumps) and a value of the type the
         * criterion takes, so that an evaluated query runs to its end (and its transaction commits).
         */
        String expression() {
            String value = Date.class.isAssignableFrom(valueType)
                    ? "now()"
                    : Collection.class.isAssignableFrom(valueType) ? "currentUserGroups()" : "'nobody'";
            return "${testClock.set(testClock.instant().plusSeconds(" + PROBE_JUMP.toSeconds() + ")) == null ? " + value
                    + " : " + value + "}";
        }

        Map<String, Object> body(Map<String, Object> base) {
            Map<String, Object> body = new LinkedHashMap<>(base);
            companions.forEach((place, value) -> put(body, place, value));
            put(body, path, expression());
            return body;
        }

        @SuppressWarnings("unchecked")
        private static void put(Map<String, Object> body, List<Object> place, Object value) {
            Object container = body;
            for (int i = 0; i < place.size() - 1; i++) {
                Object segment = place.get(i);
                boolean listNext = place.get(i + 1) instanceof Integer;
                if (segment instanceof Integer index) {
                    List<Object> list = (List<Object>) container;
                    while (list.size() <= index) {
                        list.add(listNext ? new ArrayList<>() : new LinkedHashMap<>());
                    }
                    container = list.get(index);
                } else {
                    container = ((Map<String, Object>) container)
                            .computeIfAbsent(
                                    (String) segment, key -> listNext ? new ArrayList<>() : new LinkedHashMap<>());
                }
            }
            ((Map<String, Object>) container).put((String) place.get(place.size() - 1), value);
        }
    }

    record QueryEndpoint(
            String httpMethod,
            String path,
            QueryKind kind,
            boolean queryParameters,
            Map<String, Object> baseBody,
            List<Criterion> criteria) {

        Response call(Caller caller, Criterion criterion, String filterId) {
            String url = caller.base() + path.replace("{id}", filterId);
            RequestSpecification request = caller.request();
            if (queryParameters) {
                return request.queryParam(criterion.name(), criterion.expression())
                        .request(httpMethod, url);
            }
            return request.body(criterion.body(baseBody)).request(httpMethod, url);
        }

        @Override
        public String toString() {
            return httpMethod + " " + path;
        }
    }

    /** Walks the engine REST API's JAX-RS resources from its root for requests that carry expression criteria. */
    static final class QueryEndpoints {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final String DTO_PACKAGE = "org.camunda.bpm.engine.rest.dto";

        static List<QueryEndpoint> discover() {
            List<Resource> resources = new ArrayList<>();
            walk(
                    DefaultProcessEngineRestServiceImpl.class,
                    pathOf(DefaultProcessEngineRestServiceImpl.class),
                    new ArrayList<>(),
                    resources);
            List<QueryEndpoint> endpoints = new ArrayList<>();
            for (Resource resource : resources) {
                List<ResourceMethod> methods = resource.methods();
                // a resource that stores a query (a filter) also runs it, extended by a query sent as raw JSON
                List<Criterion> storedQueryCriteria = methods.stream()
                        .map(method -> criteria(method.entity(), List.of(), new ArrayList<>()))
                        .filter(found -> found.stream()
                                .anyMatch(criterion -> !criterion.companions().isEmpty()))
                        .findFirst()
                        .map(QueryEndpoints::withoutStoringEnvelope)
                        .orElse(List.of());
                for (ResourceMethod method : methods) {
                    if (method.entity() == String.class && !storedQueryCriteria.isEmpty()) {
                        endpoints.add(new QueryEndpoint(
                                method.httpMethod(),
                                method.path(),
                                QueryKind.FILTER_EXTENSION,
                                false,
                                Map.of(),
                                storedQueryCriteria));
                        continue;
                    }
                    List<Criterion> criteria = criteria(method.entity(), List.of(), new ArrayList<>());
                    if (criteria.isEmpty()) {
                        continue;
                    }
                    boolean stored = criteria.stream()
                            .anyMatch(criterion -> !criterion.companions().isEmpty());
                    Map<String, Object> baseBody = stored ? Map.of("name", PROBE_FILTER + "-sent") : Map.of();
                    endpoints.add(new QueryEndpoint(
                            method.httpMethod(),
                            method.path(),
                            stored ? QueryKind.FILTER_SAVE : QueryKind.ADHOC,
                            false,
                            baseBody,
                            criteria));
                    // the GET beside a POST query reads the same criteria from query parameters (no nesting there)
                    methods.stream()
                            .filter(other -> other.httpMethod().equals(HttpMethod.GET)
                                    && other.path().equals(method.path())
                                    && other.readsQueryParameters())
                            .findFirst()
                            .ifPresent(get -> endpoints.add(new QueryEndpoint(
                                    HttpMethod.GET,
                                    get.path(),
                                    QueryKind.ADHOC,
                                    true,
                                    Map.of(),
                                    criteria.stream()
                                            .filter(criterion -> criterion.depth() == 0)
                                            .toList())));
                }
            }
            return endpoints;
        }

        /** The criteria of a filter's query, without the filter around it. */
        private static List<Criterion> withoutStoringEnvelope(List<Criterion> stored) {
            return stored.stream()
                    .map(criterion -> new Criterion(
                            criterion.path().subList(1, criterion.path().size()), criterion.valueType(), Map.of()))
                    .toList();
        }

        record Resource(Class<?> type, List<ResourceMethod> methods) {}

        record ResourceMethod(String httpMethod, String path, Type entity, boolean readsQueryParameters) {}

        private static void walk(Class<?> type, String prefix, List<Class<?>> visiting, List<Resource> resources) {
            if (visiting.contains(type)) {
                return;
            }
            visiting.add(type);
            List<ResourceMethod> methods = new ArrayList<>();
            for (Method method : type.getMethods()) {
                Path path = method.getAnnotation(Path.class);
                String full = join(prefix, path == null ? "" : path.value());
                String httpMethod = httpMethod(method);
                if (httpMethod != null) {
                    methods.add(new ResourceMethod(httpMethod, full, entity(method), readsQueryParameters(method)));
                } else if (path != null) {
                    walk(method.getReturnType(), full, visiting, resources);
                }
            }
            resources.add(new Resource(type, methods));
            visiting.remove(type);
        }

        private static String pathOf(Class<?> type) {
            Path path = type.getAnnotation(Path.class);
            return path == null ? "" : join("", path.value());
        }

        private static String join(String prefix, String path) {
            String joined = (prefix + "/" + path).replaceAll("/+", "/");
            return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
        }

        private static String httpMethod(Method method) {
            for (Annotation annotation : method.getAnnotations()) {
                HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
                if (http != null) {
                    return http.value();
                }
            }
            return null;
        }

        /** The request body: the one parameter JAX-RS fills from no annotation. */
        private static Type entity(Method method) {
            Annotation[][] annotations = method.getParameterAnnotations();
            for (int i = 0; i < annotations.length; i++) {
                if (annotations[i].length == 0) {
                    return method.getGenericParameterTypes()[i];
                }
            }
            return Void.class;
        }

        private static boolean readsQueryParameters(Method method) {
            return Arrays.asList(method.getParameterTypes()).contains(jakarta.ws.rs.core.UriInfo.class);
        }

        /** The expression criteria a body of this type carries, at any depth (a type nests in itself up to twice). */
        private static List<Criterion> criteria(Type type, List<Object> prefix, List<Class<?>> visiting) {
            JavaType javaType = JSON.getTypeFactory().constructType(type);
            if (javaType.isCollectionLikeType()) {
                return criteria(javaType.getContentType(), append(prefix, 0), visiting);
            }
            Class<?> raw = javaType.getRawClass();
            if (raw.getPackageName() == null
                    || !raw.getPackageName().startsWith(DTO_PACKAGE)
                    || visiting.stream().filter(raw::equals).count() >= 3) {
                return List.of();
            }
            visiting.add(raw);
            List<Criterion> found = new ArrayList<>();
            Map<String, BeanPropertyDefinition> properties = new LinkedHashMap<>();
            JSON.getDeserializationConfig()
                    .introspect(javaType)
                    .findProperties()
                    .forEach(property -> properties.put(property.getName(), property));
            for (BeanPropertyDefinition property : properties.values()) {
                if (!property.hasSetter() && !property.hasField()) {
                    continue;
                }
                String name = property.getName();
                if (name.endsWith("Expression") && property.getRawPrimaryType() == String.class) {
                    BeanPropertyDefinition plain =
                            properties.get(name.substring(0, name.length() - "Expression".length()));
                    found.add(new Criterion(
                            append(prefix, name), plain == null ? String.class : plain.getRawPrimaryType(), Map.of()));
                    continue;
                }
                JsonSubTypes subtypes = annotation(property, JsonSubTypes.class);
                JsonTypeInfo typeInfo = annotation(property, JsonTypeInfo.class);
                if (subtypes != null && typeInfo != null) {
                    for (JsonSubTypes.Type subtype : subtypes.value()) {
                        for (Criterion criterion : criteria(subtype.value(), append(prefix, name), visiting)) {
                            Map<List<Object>, Object> companions = new LinkedHashMap<>(criterion.companions());
                            companions.put(append(prefix, typeInfo.property()), subtype.name());
                            found.add(new Criterion(criterion.path(), criterion.valueType(), companions));
                        }
                    }
                } else {
                    found.addAll(criteria(property.getPrimaryType(), append(prefix, name), visiting));
                }
            }
            visiting.remove(visiting.size() - 1);
            return found;
        }

        private static <A extends Annotation> A annotation(BeanPropertyDefinition property, Class<A> type) {
            return Stream.of(property.getField(), property.getSetter(), property.getGetter())
                    .filter(Objects::nonNull)
                    .map((AnnotatedMember member) -> member.getAnnotation(type))
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElseGet(() -> property.getRawPrimaryType().getAnnotation(type));
        }

        private static List<Object> append(List<Object> prefix, Object segment) {
            List<Object> path = new ArrayList<>(prefix);
            path.add(segment);
            return List.copyOf(path);
        }
    }
}
