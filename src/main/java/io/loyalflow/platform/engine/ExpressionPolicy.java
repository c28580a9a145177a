package io.loyalflow.platform.engine;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.camunda.bpm.impl.juel.AstBinary;
import org.camunda.bpm.impl.juel.AstBracket;
import org.camunda.bpm.impl.juel.AstChoice;
import org.camunda.bpm.impl.juel.AstComposite;
import org.camunda.bpm.impl.juel.AstDot;
import org.camunda.bpm.impl.juel.AstEval;
import org.camunda.bpm.impl.juel.AstFunction;
import org.camunda.bpm.impl.juel.AstIdentifier;
import org.camunda.bpm.impl.juel.AstLiteral;
import org.camunda.bpm.impl.juel.AstMethod;
import org.camunda.bpm.impl.juel.AstNested;
import org.camunda.bpm.impl.juel.AstNode;
import org.camunda.bpm.impl.juel.AstParameters;
import org.camunda.bpm.impl.juel.AstText;
import org.camunda.bpm.impl.juel.AstUnary;
import org.camunda.bpm.impl.juel.Builder;
import org.camunda.bpm.impl.juel.Node;
import org.camunda.bpm.impl.juel.Parser;
import org.camunda.bpm.impl.juel.Tree;

/**
 * What a JUEL expression in a model deployed by someone who is not an administrator may do: read
 * process variables by name, use literals, comparisons, logic and arithmetic, call Camunda's harmless
 * functions ({@code now()}, {@code dateTime()}, {@code currentUser()}, {@code currentUserGroups()}), and
 * use the helpers Loyalflow's element templates and shipped models use ({@code campaign.templateId(execution,
 * 'Task_Id')}, {@code segmentRefreshSchedule.cycle}, ...). Everything else an expression could reach (any
 * other Spring bean, methods of variables or literals, the engine's objects behind {@code execution} or
 * {@code task}) is refused.
 *
 * <p>The expression is judged by its syntax tree as camunda-juel's parser builds it: the engine parses
 * every expression with that very parser ({@code JuelExpressionManager} → {@code ExpressionFactoryImpl},
 * whose builder has method invocations and varargs enabled, as here), and no public API exposes the tree.
 * That is why this class uses {@code org.camunda.bpm.impl.juel}.
 */
final class ExpressionPolicy {

    /** The beans a service or send task may name as its implementation, {@code ${bean}}, and nothing else. */
    static final Set<String> STEP_BEANS = Set.of(
            // the element templates' steps
            "sendEmail",
            "sendSms",
            "abSplit",
            "customerFacts",
            "cartContents",
            "recommendProducts",
            "crossSellTiming",
            "smartSendTime",
            "startScenario",
            "readFeedback",
            "syncAdAudience",
            // the steps of the shipped scheduled processes
            "refreshSegments",
            "fitCustomerValueModel",
            "refreshRecommendations",
            "enterCampaignChunk",
            "checkJourneys",
            "reviewExperiments",
            "startAudienceRounds",
            "uploadAudienceChanges",
            "replaceAudienceMembers",
            "holdFlaggedAudience",
            "deleteExpiredRows");

    /** The helper methods expressions may call, by bean. */
    static final Map<String, Set<String>> HELPER_METHODS = Map.of(
            "campaign",
                    Set.of(
                            "templateId",
                            "decidedTemplateId",
                            "templateData",
                            "smsText",
                            "fromEmail",
                            "fromName",
                            "wait",
                            "waitUntil",
                            "waitOver",
                            "arms",
                            "option",
                            "followUp",
                            "seriesLength",
                            "seriesDelay",
                            "seriesSmartSend",
                            "seriesTemplateId",
                            "seriesTemplateData",
                            "seriesFromEmail",
                            "seriesFromName",
                            "smartSendFallbackHour",
                            "teamTask",
                            "teamTaskGroup",
                            "nameTeamTask"),
            "campaignEntry", Set.of("campaignsToEnter"),
            "surveyAnswers", Set.of("describeTask"));

    /** The bean properties expressions may read: the schedules of the shipped timer start events. */
    static final Map<String, Set<String>> BEAN_PROPERTIES = Map.of(
            "segmentRefreshSchedule", Set.of("cycle"),
            "journeyConsistencySchedule", Set.of("cycle"),
            "clvRefitSchedule", Set.of("cycle"),
            "recommendationRefreshSchedule", Set.of("cycle"),
            "campaignEntrySchedule", Set.of("cycle"),
            "experimentReviewSchedule", Set.of("cycle"),
            "audienceSyncSchedule", Set.of("cycle"),
            "storageCleanupSchedule", Set.of("cycle"));

    /**
     * Names the engine resolves to its own objects (VariableScopeElResolver, VariableContextElResolver), which lead
     * to every engine service ({@code execution.processEngineServices}).
     */
    static final Set<String> ENGINE_OBJECTS =
            Set.of("execution", "task", "externalTask", "caseExecution", "variableScope", "variableContext");

    /** Engine objects that may be handed, as they are, to a helper method: the helpers take the step's context. */
    static final Set<String> HELPER_ARGUMENTS = Set.of("execution", "task");

    /** The one read of an engine object allowed: Camunda Modeler's "business key" of a call activity. */
    static final Map<String, Set<String>> ENGINE_OBJECT_PROPERTIES = Map.of("execution", Set.of("processBusinessKey"));

    /** Camunda's own EL functions; they read the clock or the current user and nothing else. */
    static final Set<String> FUNCTIONS = Set.of("now", "dateTime", "currentUser", "currentUserGroups");

    private static final int SHOWN = 120;

    private final Predicate<String> isBean;

    /** @param isBean whether a name resolves to a Spring bean in expressions (the engine asks the application context) */
    ExpressionPolicy(Predicate<String> isBean) {
        this.isBean = isBean;
    }

    /** Whether a text is evaluated as an expression by the engine: JUEL only evaluates what is inside these. */
    static boolean containsExpression(String text) {
        return text.contains("${") || text.contains("#{");
    }

    /** Why an expression is refused, or empty if it may be deployed. */
    Optional<String> problem(String expression) {
        Tree tree;
        try {
            tree = new NamingBuilder().build(expression);
        } catch (RuntimeException e) {
            return Optional.of("the expression " + quoted(expression) + " is not valid: " + e.getMessage());
        }
        return Optional.ofNullable(visit(tree.getRoot(), expression));
    }

    /**
     * Why a task's implementation is refused, or empty if it is one of Loyalflow's steps: exactly
     * {@code ${bean}} (or {@code #{bean}}).
     */
    Optional<String> stepProblem(String delegateExpression) {
        try {
            Node root = new NamingBuilder().build(delegateExpression).getRoot();
            if (root instanceof AstEval eval
                    && eval.getChild(0) instanceof AstIdentifier bean
                    && STEP_BEANS.contains(bean.getName())) {
                return Optional.empty();
            }
        } catch (RuntimeException e) {
            // not even an expression: refused below like any other implementation
        }
        return Optional.of("the implementation " + quoted(delegateExpression) + " is not one of Loyalflow's steps; "
                + "use an element template (steps: " + sorted(STEP_BEANS) + ")");
    }

    /** Why a variable of that name is refused: it would hide the bean or engine object so named. */
    Optional<String> variableNameProblem(String name) {
        String trimmed = name.trim();
        if (ENGINE_OBJECTS.contains(trimmed) || isBean.test(trimmed)) {
            return Optional.of("the variable name '" + trimmed + "' is the name of an engine object or a Spring bean");
        }
        return Optional.empty();
    }

    private String visit(Node node, String expression) {
        if (node instanceof AstText || node instanceof AstLiteral) {
            return null;
        }
        if (node instanceof AstComposite
                || node instanceof AstEval
                || node instanceof AstNested
                || node instanceof AstBinary
                || node instanceof AstUnary
                || node instanceof AstChoice) {
            return children(node, expression);
        }
        if (node instanceof AstIdentifier identifier) {
            return identifier(identifier.getName(), false, expression);
        }
        if (node instanceof AstMethod method) {
            return method(method, expression);
        }
        if (node instanceof NamedDot dot) {
            return property(dot, expression);
        }
        if (node instanceof AstBracket) {
            return "the expression " + quoted(expression) + " reads a property with [...]; expressions read process "
                    + "variables by their name";
        }
        if (node instanceof AstFunction function) {
            if (!FUNCTIONS.contains(function.getName())) {
                return "the expression " + quoted(expression) + " calls the function '" + function.getName()
                        + "'; only "
                        + sorted(FUNCTIONS).stream().map(name -> name + "()").toList() + " may be called";
            }
            return children(node, expression);
        }
        if (node instanceof AstParameters) {
            return children(node, expression);
        }
        return "the expression " + quoted(expression) + " uses "
                + node.getClass().getSimpleName() + ", which the model policy does not allow";
    }

    private String children(Node node, String expression) {
        for (int i = 0; i < node.getCardinality(); i++) {
            String problem = visit(node.getChild(i), expression);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private String identifier(String name, boolean helperArgument, String expression) {
        if (ENGINE_OBJECTS.contains(name)) {
            if (helperArgument && HELPER_ARGUMENTS.contains(name)) {
                return null;
            }
            return "the expression " + quoted(expression) + " uses the engine object '" + name
                    + "'; it may only be handed "
                    + "to one of Loyalflow's helpers, e.g. campaign.templateId(execution, 'Task_Id')";
        }
        if (isBean.test(name)) {
            return "the expression " + quoted(expression) + " uses the Spring bean '" + name + "'; expressions may use "
                    + "process variables, literals, operators and Loyalflow's helpers (" + helperNames() + ")";
        }
        return null;
    }

    private String method(AstMethod method, String expression) {
        Node target = method.getChild(0);
        if (target instanceof NamedDot dot
                && dot.getChild(0) instanceof AstIdentifier base
                && HELPER_METHODS.getOrDefault(base.getName(), Set.of()).contains(dot.name())) {
            Node arguments = method.getChild(1);
            for (int i = 0; i < arguments.getCardinality(); i++) {
                Node argument = arguments.getChild(i);
                String problem = argument instanceof AstIdentifier identifier
                        ? identifier(identifier.getName(), true, expression)
                        : visit(argument, expression);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        // name the bean or engine object a call goes through, unless it is a helper bean (then the method is at fault)
        Node base = target.getChild(0);
        boolean helperBean =
                base instanceof AstIdentifier identifier && HELPER_METHODS.containsKey(identifier.getName());
        String reached = helperBean ? null : visit(base, expression);
        if (reached != null) {
            return reached;
        }
        String called = target instanceof NamedDot dot ? "'" + dot.name() + "'" : "a method";
        return "the expression " + quoted(expression) + " calls " + called
                + "; only Loyalflow's helpers may be called (" + helperNames() + ")";
    }

    private String property(NamedDot dot, String expression) {
        if (dot.getChild(0) instanceof AstIdentifier base) {
            if (BEAN_PROPERTIES.getOrDefault(base.getName(), Set.of()).contains(dot.name())
                    || ENGINE_OBJECT_PROPERTIES
                            .getOrDefault(base.getName(), Set.of())
                            .contains(dot.name())) {
                return null;
            }
            boolean allowedBase =
                    BEAN_PROPERTIES.containsKey(base.getName()) || HELPER_METHODS.containsKey(base.getName());
            String reached = allowedBase ? null : identifier(base.getName(), false, expression);
            if (reached != null) {
                return reached;
            }
            return "the expression " + quoted(expression) + " reads '" + base.getName() + "." + dot.name()
                    + "'; expressions read process variables by their name";
        }
        String reached = visit(dot.getChild(0), expression);
        if (reached != null) {
            return reached;
        }
        return "the expression " + quoted(expression) + " reads the property '" + dot.name()
                + "' of a value; expressions read process variables by their name";
    }

    private static String helperNames() {
        return "campaign.templateId(execution, 'Task_Id') and the other helpers listed in docs/analyst-guide.md";
    }

    private static Set<String> sorted(Set<String> names) {
        return names.stream().collect(Collectors.toCollection(TreeSet::new));
    }

    static String quoted(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return "'" + (oneLine.length() > SHOWN ? oneLine.substring(0, SHOWN) + "..." : oneLine) + "'";
    }

    /** A property access that tells its property's name (camunda-juel keeps it to itself). */
    static final class NamedDot extends AstDot {
        NamedDot(AstNode base, String property, boolean lvalue) {
            super(base, property, lvalue);
        }

        String name() {
            return property;
        }
    }

    /** The engine's builder (method invocations and varargs, as {@code ExpressionFactoryImpl} has it), naming dots. */
    private static final class NamingBuilder extends Builder {
        NamingBuilder() {
            super(Feature.METHOD_INVOCATIONS, Feature.VARARGS);
        }

        @Override
        protected Parser createParser(String expression) {
            return new Parser(this, expression) {
                @Override
                protected AstDot createAstDot(AstNode base, String property, boolean lvalue) {
                    return new NamedDot(base, property, lvalue);
                }
            };
        }
    }
}
