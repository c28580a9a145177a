package io.loyalflow.platform.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.impl.AbstractQuery;
import org.camunda.bpm.engine.impl.TaskQueryImpl;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.query.Query;
import org.springframework.stereotype.Component;

/**
 * No user makes the engine evaluate an expression they wrote through a query.
 *
 * <p>Camunda refuses expressions in an ad-hoc query's own criteria, but not in its or-queries
 * ({@code or()}, the REST API's {@code orQueries}), which it evaluates, method calls and all, also
 * those of a query sent to extend a filter ({@code POST /filter/{id}/list}); and it lets any user who
 * may create or update a filter store expressions that run whenever anyone runs the filter. This
 * plugin closes both where every API (engine REST, the webapps, Java) ends up:
 * <ul>
 *   <li>An ad-hoc query (a query run through a service) with an expression anywhere, at the top or
 *       in any or-query, is refused before it runs, for every user, unless the engine's own
 *       {@code enableExpressionsInAdhocQueries} switch allows expressions in ad-hoc queries.</li>
 *   <li>A query extending a filter's when the filter runs is ad-hoc too: Camunda refuses expressions
 *       at its top, this plugin in its or-queries as well, for every user.</li>
 *   <li>Filters (stored queries) may carry expressions, e.g. {@code ${currentUser()}}, but only
 *       administrators (the engine's admin groups and users) may save one. Every user may run a filter
 *       an administrator stored with expressions. The engine's own code, which runs without an
 *       authenticated user, is not restricted.</li>
 * </ul>
 * A refusal is a {@link BadUserRequestException} (HTTP 400 in the engine REST API) naming the criteria
 * at fault; nothing is evaluated.
 *
 * <p>Impl-level by necessity: the public query API neither exposes a query's expressions nor its
 * or-queries ({@link AbstractQuery#getExpressions()}, {@link TaskQueryImpl#getQueries()}), and queries
 * run as commands, so a command interceptor registered by a plugin is the one place that sees every
 * query whichever API built it. Filters are guarded through the public {@link FilterService}
 * interface, which the engine hands to every caller once the plugin has wrapped it.
 */
@Component
class QueryExpressionGuardPlugin extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        // before the transaction and command context: a refused query costs nothing
        configuration.setCustomPreCommandInterceptorsTxRequired(
                withGuard(configuration.getCustomPreCommandInterceptorsTxRequired(), configuration));
        configuration.setCustomPreCommandInterceptorsTxRequiresNew(
                withGuard(configuration.getCustomPreCommandInterceptorsTxRequiresNew(), configuration));
    }

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        // after the services are built, before the engine copies them: every caller gets the guarded one
        configuration.setFilterService(guardedFilterService(configuration.getFilterService(), configuration));
    }

    private static List<CommandInterceptor> withGuard(
            List<CommandInterceptor> interceptors, ProcessEngineConfigurationImpl configuration) {
        List<CommandInterceptor> guarded = new ArrayList<>();
        guarded.add(new AdhocQueryGuard(configuration));
        if (interceptors != null) {
            guarded.addAll(interceptors);
        }
        return guarded;
    }

    /**
     * The criteria of {@code query} that hold an expression, named by the query method that set them
     * ({@code taskAssigneeExpression}), those of or-queries by their position as well
     * ({@code orQueries[0].taskAssigneeExpression}), however deep they nest.
     */
    static List<String> expressionCriteria(Query<?, ?> query) {
        List<String> criteria = new ArrayList<>();
        collectExpressionCriteria(query, "", criteria, Collections.newSetFromMap(new IdentityHashMap<>()));
        return criteria;
    }

    private static void collectExpressionCriteria(
            Query<?, ?> query, String prefix, List<String> criteria, Set<Object> seen) {
        if (!(query instanceof AbstractQuery<?, ?> abstractQuery) || !seen.add(query)) {
            return;
        }
        abstractQuery.getExpressions().keySet().stream()
                .sorted()
                .forEach(setter -> criteria.add(prefix + setter + "Expression"));
        // a query's first or-query is itself; an or-query made by or() shares its parent's list (seen already),
        // one built from JSON has a list of its own, which may hold or-queries in turn
        if (abstractQuery instanceof TaskQueryImpl taskQuery
                && taskQuery.getQueries() != null
                && !taskQuery.getQueries().isEmpty()
                && taskQuery.getQueries().get(0) == taskQuery) {
            int position = 0;
            for (TaskQueryImpl orQuery : taskQuery.getQueries()) {
                if (orQuery != taskQuery) {
                    collectExpressionCriteria(orQuery, prefix + "orQueries[" + position++ + "].", criteria, seen);
                }
            }
        }
    }

    /** Refuses ad-hoc queries with an expression anywhere before they run. */
    static final class AdhocQueryGuard extends CommandInterceptor {

        private final ProcessEngineConfigurationImpl configuration;

        AdhocQueryGuard(ProcessEngineConfigurationImpl configuration) {
            this.configuration = configuration;
        }

        @Override
        public <T> T execute(Command<T> command) {
            if (command instanceof AbstractQuery<?, ?> query && !configuration.isEnableExpressionsInAdhocQueries()) {
                List<String> criteria = expressionCriteria(query);
                if (!criteria.isEmpty()) {
                    throw new BadUserRequestException(
                            "Expressions are forbidden in adhoc queries, or-queries included: "
                                    + String.join(", ", criteria));
                }
            }
            return next.execute(command);
        }
    }

    private static FilterService guardedFilterService(
            FilterService filters, ProcessEngineConfigurationImpl configuration) {
        InvocationHandler guard = (proxy, method, arguments) -> {
            for (Object argument : arguments == null ? new Object[0] : arguments) {
                if (argument instanceof Filter filter) {
                    refuseUnlessAdministrator(filter.getQuery(), configuration);
                } else if (argument instanceof Query<?, ?> extendingQuery
                        && !configuration.isEnableExpressionsInAdhocQueries()) {
                    List<String> criteria = expressionCriteria(extendingQuery);
                    if (!criteria.isEmpty()) {
                        throw new BadUserRequestException(
                                "Expressions are forbidden in adhoc queries, or-queries included, "
                                        + "also when they extend a filter: " + String.join(", ", criteria));
                    }
                }
            }
            try {
                return method.invoke(filters, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (FilterService) Proxy.newProxyInstance(
                FilterService.class.getClassLoader(), new Class<?>[] {FilterService.class}, guard);
    }

    private static void refuseUnlessAdministrator(Query<?, ?> query, ProcessEngineConfigurationImpl configuration) {
        Authentication caller = configuration.getIdentityService().getCurrentAuthentication();
        if (caller == null || isAdministrator(caller, configuration)) {
            return;
        }
        List<String> criteria = expressionCriteria(query);
        if (!criteria.isEmpty()) {
            throw new BadUserRequestException(
                    "Expressions are forbidden in filters except for administrators: " + String.join(", ", criteria));
        }
    }

    private static boolean isAdministrator(Authentication caller, ProcessEngineConfigurationImpl configuration) {
        List<String> adminUsers = configuration.getAdminUsers() == null ? List.of() : configuration.getAdminUsers();
        List<String> adminGroups = configuration.getAdminGroups() == null ? List.of() : configuration.getAdminGroups();
        List<String> callerGroups = caller.getGroupIds() == null ? List.of() : caller.getGroupIds();
        return adminUsers.contains(caller.getUserId()) || !Collections.disjoint(adminGroups, callerGroups);
    }
}
