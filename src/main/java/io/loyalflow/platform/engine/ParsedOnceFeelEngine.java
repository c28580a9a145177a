package io.loyalflow.platform.engine;

import camundajar.impl.scala.runtime.BoxesRunTime;
import camundajar.impl.scala.util.Either;
import camundajar.impl.scala.util.Left;
import camundajar.impl.scala.util.Right;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.dmn.feel.impl.FeelEngine;
import org.camunda.bpm.dmn.feel.impl.FeelEngineFactory;
import org.camunda.bpm.dmn.feel.impl.scala.ContextVariableWrapper;
import org.camunda.bpm.dmn.feel.impl.scala.ScalaFeelEngine;
import org.camunda.bpm.engine.variable.context.VariableContext;
import org.camunda.feel.FeelEngine.Failure;
import org.camunda.feel.FeelEngine.UnaryTests$;
import org.camunda.feel.context.CustomContext;
import org.camunda.feel.context.VariableProvider;
import org.camunda.feel.context.VariableProvider.CompositeVariableProvider;
import org.camunda.feel.context.VariableProvider.StaticVariableProvider;
import org.camunda.feel.syntaxtree.ParsedExpression;

/**
 * Camunda's FEEL engine, except that each expression of a decision table is parsed once instead of
 * at every evaluation. Camunda 7's {@link ScalaFeelEngine} hands the expression text to FEEL on every
 * call, and parsing is nearly all of the cost: a four-rule table evaluated about 1,500 times a second
 * on this project's 2-core machine, far too slow for a nightly refresh of a million customers. The
 * evaluation itself (variables, value mapping, functions) is Camunda's, unchanged.
 */
public class ParsedOnceFeelEngine extends ScalaFeelEngine {

    /** Expressions come from deployed tables; past this many distinct ones, new ones are parsed per call. */
    private static final int MAX_REMEMBERED = 20_000;

    private final Map<String, ParsedExpression> unaryTests = new ConcurrentHashMap<>();
    private final Map<String, ParsedExpression> expressions = new ConcurrentHashMap<>();

    public ParsedOnceFeelEngine() {
        super(List.of());
    }

    /** Plugs this engine into a DMN engine configuration. */
    public static FeelEngineFactory factory() {
        FeelEngine engine = new ParsedOnceFeelEngine();
        return () -> engine;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T evaluateSimpleExpression(String expression, VariableContext variableContext) {
        ParsedExpression parsed = parsed(expressions, expression, false);
        CustomContext context = new CustomContext() {
            @Override
            public VariableProvider variableProvider() {
                return new ContextVariableWrapper(variableContext);
            }
        };
        return (T) valueOf(feelEngine.eval(parsed, context));
    }

    @Override
    public boolean evaluateSimpleUnaryTests(String expression, String inputVariable, VariableContext variableContext) {
        ParsedExpression parsed = parsed(unaryTests, expression, true);
        StaticVariableProvider input =
                new StaticVariableProvider(new camundajar.impl.scala.collection.immutable.Map.Map1<>(
                        UnaryTests$.MODULE$.inputVariable(), inputVariable));
        ContextVariableWrapper variables = new ContextVariableWrapper(variableContext);
        CustomContext context = new CustomContext() {
            @Override
            public VariableProvider variableProvider() {
                return new CompositeVariableProvider(toScalaList(input, variables));
            }
        };
        return BoxesRunTime.unboxToBoolean(valueOf(feelEngine.eval(parsed, context)));
    }

    /**
     * Parses as the engine parses (same parser, same configuration), without remembering the expression: the model
     * policy reads the syntax tree of each expression a user deploys. Throws the engine's exception when the text is
     * not FEEL, or uses what the engine refuses (external Java functions).
     */
    ParsedExpression parse(String expression, boolean unaryTests) {
        return (ParsedExpression)
                valueOf(unaryTests ? feelEngine.parseUnaryTests(expression) : feelEngine.parseExpression(expression));
    }

    private ParsedExpression parsed(Map<String, ParsedExpression> remembered, String expression, boolean unary) {
        ParsedExpression known = remembered.get(expression);
        if (known != null) {
            return known;
        }
        ParsedExpression parsed = (ParsedExpression)
                valueOf(unary ? feelEngine.parseUnaryTests(expression) : feelEngine.parseExpression(expression));
        if (remembered.size() < MAX_REMEMBERED) {
            remembered.put(expression, parsed);
        }
        return parsed;
    }

    private static Object valueOf(Either<?, ?> result) {
        if (result instanceof Right<?, ?> right) {
            return right.value();
        }
        throw LOGGER.evaluationException(((Failure) ((Left<?, ?>) result).value()).message());
    }
}
