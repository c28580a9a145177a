package io.loyalflow.platform.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.camunda.bpm.engine.Problem;
import org.camunda.feel.syntaxtree.JavaFunctionInvocation;
import org.camunda.feel.syntaxtree.ParsedExpression;
import org.camunda.feel.syntaxtree.QualifiedFunctionInvocation;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.AttributesImpl;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The model policy: what a deployment by someone who is not an administrator may contain. Only BPMN and
 * DMN files; in them, Loyalflow's steps as the element templates bind them, listeners and expressions
 * within {@link ExpressionPolicy}, no scripts, Java classes, connectors, external tasks, field injection,
 * forms or CMMN; DMN expressions in FEEL (without external Java functions or functions of objects) or
 * in JUEL within the same expression rules as BPMN.
 *
 * <p>Every element, every attribute value and every text of the file is read, whatever its place:
 * expressions hide in conditions, mappings, timers, message and signal names, multi-instance collections,
 * assignments, priorities, error codes, call activity mappings, properties. Attributes are recognised by
 * their local name in Camunda's namespace, the legacy Activiti one the engine still reads, or without a
 * namespace (listeners, scripts), so a namespace trick does not pass a class or a script.
 */
final class ModelPolicy {

    static final String BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    static final Set<String> CAMUNDA_NS = Set.of(
            "http://camunda.org/schema/1.0/bpmn", "http://activiti.org/bpmn", "http://camunda.org/schema/1.0/dmn");
    /** The engine's own suffixes (BpmnDeployer, DmnDeployer), matched as it matches them: the end of the name. */
    static final List<String> BPMN_SUFFIXES = List.of("bpmn20.xml", "bpmn");

    static final List<String> DMN_SUFFIXES = List.of("dmn11.xml", "dmn");
    /** The FEEL names of DMN's specifications, which Camunda treats as "the default language" on the definitions. */
    static final Set<String> FEEL_NAMESPACES = Set.of(
            "http://www.omg.org/spec/FEEL/20140401",
            "http://www.omg.org/spec/DMN/20180521/FEEL/",
            "https://www.omg.org/spec/DMN/20191111/FEEL/",
            "https://www.omg.org/spec/DMN/20211108/FEEL/",
            "https://www.omg.org/spec/DMN/20230324/FEEL/");

    static final String NOT_A_MODEL = "only BPMN (.bpmn) and DMN (.dmn) files may be deployed; forms, scripts, CMMN "
            + "and other files need an administrator";
    static final String SCRIPT_TASK = "script tasks are not allowed";
    static final String SCRIPT = "scripts are not allowed";
    static final String JAVA_CLASS = "Java classes are not allowed";
    static final String CONNECTOR = "connectors are not allowed";
    static final String EXTERNAL_TASK = "external tasks and connectors are not allowed";
    static final String FIELD_INJECTION = "field injection is not allowed";
    static final String FORM = "task forms are not allowed (form keys, form references, form fields)";
    static final String EXPRESSION_IMPLEMENTATION = "expression implementations (camunda:expression) are not allowed; "
            + "a task runs one of Loyalflow's steps through its element template";
    static final String DELEGATE_ELSEWHERE =
            "a delegate (delegateExpression) is only allowed as the implementation of " + "a service or send task";
    static final String VARIABLE_MAPPING = "variable mapping classes and delegates are not allowed";
    static final String CASE_CALL = "case (CMMN) calls are not allowed";
    static final String DOCTYPE = "a DOCTYPE is not allowed";

    private final ExpressionPolicy expressions;
    private final DmnLanguages dmnDefaults;
    private final ParsedOnceFeelEngine feel;

    /**
     * @param isBean whether a name is a Spring bean in expressions
     * @param dmnDefaults the DMN engine's default expression language of each kind of DMN expression
     * @param feel a FEEL engine built like the engine's, for its parser
     */
    public ModelPolicy(Predicate<String> isBean, DmnLanguages dmnDefaults, ParsedOnceFeelEngine feel) {
        this.expressions = new ExpressionPolicy(isBean);
        this.dmnDefaults = dmnDefaults;
        this.feel = feel;
    }

    /** The expression languages the DMN engine uses where a table does not name one. */
    public record DmnLanguages(
            String inputExpression, String inputEntry, String outputEntry, String literalExpression) {}

    /** One refusal: where it is (resource, element id, line and column) and which rule. */
    public record Violation(String resource, String elementId, int line, int column, String rule) implements Problem {

        @Override
        public String getMessage() {
            return rule;
        }

        @Override
        public int getLine() {
            return line;
        }

        @Override
        public int getColumn() {
            return column;
        }

        @Override
        public String getMainElementId() {
            return elementId;
        }

        @Override
        public List<String> getElementIds() {
            return elementId == null ? List.of() : List.of(elementId);
        }

        @Override
        public String toString() {
            return resource + (elementId == null ? "" : ": " + elementId) + (line > 0 ? " (line " + line + ")" : "")
                    + ": " + rule;
        }
    }

    /** What in this resource the policy refuses; empty when it may be deployed. */
    public List<Violation> check(String resourceName, byte[] content) {
        if (BPMN_SUFFIXES.stream().anyMatch(resourceName::endsWith)) {
            return walk(resourceName, content, false);
        }
        if (DMN_SUFFIXES.stream().anyMatch(resourceName::endsWith)) {
            return walk(resourceName, content, true);
        }
        return List.of(new Violation(resourceName, null, 0, 0, NOT_A_MODEL));
    }

    private List<Violation> walk(String resourceName, byte[] content, boolean dmn) {
        Walker walker = new Walker(resourceName, dmn);
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // as the engine's own parser does while XXE processing is off (its default)
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.newSAXParser().parse(new InputSource(new ByteArrayInputStream(content)), walker);
        } catch (SAXParseException e) {
            String rule = e.getMessage() != null && e.getMessage().contains("DOCTYPE")
                    ? DOCTYPE
                    : "the file is not well-formed XML: " + e.getMessage();
            walker.violations.add(new Violation(resourceName, null, e.getLineNumber(), e.getColumnNumber(), rule));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            walker.violations.add(
                    new Violation(resourceName, null, 0, 0, "the file cannot be read: " + e.getMessage()));
        }
        // one refusal per element and rule, however many of its attributes break it
        Set<List<String>> seen = new HashSet<>();
        return walker.violations.stream()
                .filter(violation -> seen.add(Arrays.asList(violation.elementId(), violation.rule())))
                .toList();
    }

    /** One open element: its name, the id that names it in a refusal, its attributes and its own text. */
    private record Frame(
            String namespace, String name, String id, Attributes attributes, StringBuilder text, int line, int column) {

        String attribute(String localName) {
            return attributes.getValue("", localName);
        }

        boolean camunda() {
            return CAMUNDA_NS.contains(namespace);
        }

        boolean bpmn(String localName) {
            return BPMN_NS.equals(namespace) && name.equals(localName);
        }
    }

    private final class Walker extends DefaultHandler {
        private final String resource;
        private final boolean dmn;
        private final List<Violation> violations = new ArrayList<>();
        private final Deque<Frame> open = new ArrayDeque<>();
        private Locator locator;
        private String globalDmnLanguage;

        Walker(String resource, boolean dmn) {
            this.resource = resource;
            this.dmn = dmn;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            String id = attributes.getValue("", "id");
            if (id == null && !open.isEmpty()) {
                id = open.peek().id();
            }
            Frame frame = new Frame(
                    uri,
                    localName,
                    id,
                    new AttributesImpl(attributes),
                    new StringBuilder(),
                    locator == null ? 0 : locator.getLineNumber(),
                    locator == null ? 0 : locator.getColumnNumber());
            if (dmn && open.isEmpty()) {
                String language = frame.attribute("expressionLanguage");
                globalDmnLanguage = language == null || FEEL_NAMESPACES.contains(language) ? null : language;
            }
            open.push(frame);
            if (dmn) {
                dmnElement(frame);
            } else {
                bpmnElement(frame);
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (!open.isEmpty()) {
                open.peek().text().append(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            Frame frame = open.pop();
            String text = frame.text().toString();
            if (dmn && "text".equals(localName) && !open.isEmpty()) {
                dmnExpression(frame, open.peek(), text);
            } else if (ExpressionPolicy.containsExpression(text)) {
                expressions.problem(text).ifPresent(rule -> refuse(frame, rule));
            }
        }

        private void bpmnElement(Frame frame) {
            if (frame.bpmn("scriptTask")) {
                refuse(frame, SCRIPT_TASK);
            } else if (frame.bpmn("script")) {
                refuse(frame, SCRIPT);
            }
            if (frame.camunda()) {
                switch (frame.name()) {
                    case "script" -> refuse(frame, SCRIPT);
                    case "connector" -> refuse(frame, CONNECTOR);
                    case "field" -> refuse(frame, FIELD_INJECTION);
                    case "formData", "formField", "formProperty" -> refuse(frame, FORM);
                    default -> {}
                }
            }
            Attributes attributes = frame.attributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                bpmnAttribute(frame, attributes.getURI(i), attributes.getLocalName(i), attributes.getValue(i));
            }
        }

        private void bpmnAttribute(Frame frame, String namespace, String name, String value) {
            boolean camunda = CAMUNDA_NS.contains(namespace);
            boolean unqualified = namespace == null || namespace.isEmpty();
            if (camunda || unqualified) {
                switch (name) {
                    case "class", "formHandlerClass" -> refuse(frame, JAVA_CLASS);
                    case "variableMappingClass", "variableMappingDelegateExpression" -> refuse(frame, VARIABLE_MAPPING);
                    case "resource", "scriptFormat", "language" -> refuse(frame, SCRIPT);
                    case "formKey", "formRef" -> refuse(frame, FORM);
                    case "caseRef" -> refuse(frame, CASE_CALL);
                    default -> {}
                }
            }
            if (camunda) {
                switch (name) {
                    case "expression" -> refuse(frame, EXPRESSION_IMPLEMENTATION);
                    case "type", "topic" -> refuse(frame, EXTERNAL_TASK);
                    case "delegateExpression" -> {
                        if (frame.bpmn("serviceTask") || frame.bpmn("sendTask")) {
                            expressions.stepProblem(value).ifPresent(rule -> refuse(frame, rule));
                        } else {
                            refuse(frame, DELEGATE_ELSEWHERE);
                        }
                        return;
                    }
                    case "resultVariable",
                            "elementVariable",
                            "errorCodeVariable",
                            "errorMessageVariable",
                            "escalationCodeVariable" -> variableName(frame, value);
                    default -> {}
                }
            } else if (unqualified && frame.camunda()) {
                switch (name) {
                    case "delegateExpression" -> {
                        refuse(frame, DELEGATE_ELSEWHERE);
                        return;
                    }
                    case "name" -> {
                        if (frame.name().equals("inputParameter")
                                || frame.name().equals("outputParameter")) {
                            variableName(frame, value);
                        }
                    }
                    case "target" -> {
                        if (frame.name().equals("in") || frame.name().equals("out")) {
                            variableName(frame, value);
                        }
                    }
                    default -> {}
                }
            }
            if (ExpressionPolicy.containsExpression(value)) {
                expressions.problem(value).ifPresent(rule -> refuse(frame, rule));
            }
        }

        private void variableName(Frame frame, String name) {
            if (!ExpressionPolicy.containsExpression(name)) {
                expressions.variableNameProblem(name).ifPresent(rule -> refuse(frame, rule));
            }
        }

        private void dmnElement(Frame frame) {
            Attributes attributes = frame.attributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                String value = attributes.getValue(i);
                if ("expressionLanguage".equals(attributes.getLocalName(i))) {
                    languageProblem(value).ifPresent(rule -> refuse(frame, rule));
                } else if (ExpressionPolicy.containsExpression(value)) {
                    expressions.problem(value).ifPresent(rule -> refuse(frame, rule));
                }
            }
        }

        /** A DMN expression's text, in the language the DMN engine would evaluate it in. */
        private void dmnExpression(Frame text, Frame expression, String content) {
            if (content.isBlank()) {
                return;
            }
            boolean unaryTests = switch (expression.name()) {
                case "inputEntry", "inputValues", "outputValues", "allowedValues" -> true;
                default -> false;
            };
            String language = expression.attribute("expressionLanguage");
            if (language == null) {
                language = globalDmnLanguage;
            }
            if (language == null) {
                language = switch (expression.name()) {
                    case "inputExpression" -> dmnDefaults.inputExpression();
                    case "outputEntry" -> dmnDefaults.outputEntry();
                    case "literalExpression" -> dmnDefaults.literalExpression();
                    default -> unaryTests ? dmnDefaults.inputEntry() : dmnDefaults.literalExpression();
                };
            }
            Optional<String> problem;
            if (isFeel(language)) {
                problem = feelProblem(content, unaryTests);
            } else if (isJuel(language)) {
                // the DMN engine evaluates a JUEL text without ${...} as if it were wrapped in it
                String trimmed = content.trim();
                boolean wrapped = trimmed.startsWith("${") || trimmed.startsWith("#{");
                problem = expressions.problem(wrapped ? content : "${" + content + "}");
            } else {
                problem = languageProblem(language);
            }
            problem.ifPresent(rule -> refuse(text, rule));
        }

        private void refuse(Frame frame, String rule) {
            violations.add(new Violation(resource, frame.id(), frame.line(), frame.column(), rule));
        }
    }

    private Optional<String> feelProblem(String text, boolean unaryTests) {
        ParsedExpression parsed;
        try {
            parsed = feel.parse(text, unaryTests);
        } catch (RuntimeException e) {
            return Optional.of("the FEEL expression " + ExpressionPolicy.quoted(text) + " is not allowed or not valid: "
                    + e.getMessage());
        }
        return Optional.ofNullable(feelCall(parsed.expression()))
                .map(call -> "the FEEL expression " + ExpressionPolicy.quoted(text) + " " + call
                        + "; decisions may only use their inputs and FEEL's built-in functions");
    }

    /** The first way a FEEL syntax tree reaches beyond the decision's inputs, or null. */
    private static String feelCall(Object node) {
        if (node instanceof JavaFunctionInvocation) {
            return "calls an external Java function";
        }
        if (node instanceof QualifiedFunctionInvocation) {
            return "calls a function of a context or an object";
        }
        camundajar.impl.scala.collection.Iterator<?> children = null;
        if (node instanceof camundajar.impl.scala.Product product) {
            children = product.productIterator();
        } else if (node instanceof camundajar.impl.scala.collection.Iterable<?> iterable) {
            children = iterable.iterator();
        }
        while (children != null && children.hasNext()) {
            String found = feelCall(children.next());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Optional<String> languageProblem(String language) {
        if (isFeel(language) || isJuel(language)) {
            return Optional.empty();
        }
        return Optional.of("the expression language '" + language + "' is not allowed; use FEEL (or JUEL within the "
                + "expression rules)");
    }

    /** As the DMN engine decides (ExpressionEvaluationHandler.isFeelExpressionLanguage). */
    private static boolean isFeel(String language) {
        return language != null
                && (FEEL_NAMESPACES.contains(language) || "feel".equals(language.toLowerCase(Locale.ROOT)));
    }

    private static boolean isJuel(String language) {
        return "juel".equalsIgnoreCase(language);
    }
}
