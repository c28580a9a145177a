package io.loyalflow.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.stereotype.Component;

/**
 * Refuses, at deployment, a BPMN whose send tasks cannot work: no async boundary before the send (a
 * retry would repeat the work before it, failures would not become incidents on the step, and a
 * deferred message could not be resumed on the job executor), a missing template id or SMS text,
 * unknown {@code {{tokens}}}, template data that is not a JSON object, an unknown cap policy, or a
 * multi-instance send task (a deferred message is resumed by starting its task again inside the
 * enclosing scope, which a multi-instance task itself cannot offer). The analyst sees the reason in
 * the Modeler's deploy dialog.
 *
 * <p>Nothing is required of the flows after a send task: a deferred message makes the step itself
 * wait for its window ({@link SendTaskBehavior}), so gateways only ever see SENT, UNKNOWN, SKIPPED or
 * FAILED, and a model that branches on none of them still loses no message.
 *
 * <p>A BPMN parse listener is the engine's documented hook for this, hence its use of the engine's
 * {@code impl} packages.
 */
@Component
class SendTaskValidation extends AbstractProcessEnginePlugin {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MULTI_INSTANCE = "a send task cannot be multi-instance itself: put it in a multi-instance "
            + "subprocess (as the best-customer e-mail series does), so each message can wait for its sending window in its "
            + "own pass";

    /**
     * The send tasks refused while the engine parses a deployment. The engine wraps whatever a parse listener
     * throws into a plain engine exception (a 500 for Camunda Modeler), so the listener only records them, and
     * a deployer that runs after the engine's own throws them as a parse exception (a 400 naming the elements).
     * Pre- and post-deployer run in the deploying thread, around the parse.
     */
    private static final ThreadLocal<List<SendTaskRefused.ElementProblem>> REFUSED =
            ThreadLocal.withInitial(ArrayList::new);

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (configuration.getCustomPreBPMNParseListeners() == null) {
            configuration.setCustomPreBPMNParseListeners(new ArrayList<>());
        }
        configuration.getCustomPreBPMNParseListeners().add(new AbstractBpmnParseListener() {
            @Override
            public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                check(element).ifPresent(REFUSED.get()::add);
            }

            @Override
            public void parseSendTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                check(element).ifPresent(REFUSED.get()::add);
            }
        });
        if (configuration.getCustomPreDeployers() == null) {
            configuration.setCustomPreDeployers(new ArrayList<>());
        }
        configuration.getCustomPreDeployers().add(deployment -> REFUSED.remove());
        if (configuration.getCustomPostDeployers() == null) {
            configuration.setCustomPostDeployers(new ArrayList<>());
        }
        configuration.getCustomPostDeployers().add(deployment -> {
            List<SendTaskRefused.ElementProblem> refused = List.copyOf(REFUSED.get());
            REFUSED.remove();
            if (!refused.isEmpty()) {
                throw new SendTaskRefused(
                        deployment.getResources() == null
                                ? deployment.getName()
                                : deployment.getResources().keySet().stream()
                                        .filter(name -> name.endsWith(".bpmn") || name.endsWith(".xml"))
                                        .sorted()
                                        .collect(Collectors.joining(", ")),
                        refused);
            }
        });
    }

    /** Why a send task cannot work, naming it, if it cannot. */
    static Optional<SendTaskRefused.ElementProblem> check(Element element) {
        String delegate = camundaAttribute(element, "delegateExpression");
        if (delegate == null) {
            return Optional.empty();
        }
        String bean = delegate.replaceAll("\\s", "");
        boolean email = bean.equals("${" + SendStep.SEND_EMAIL_BEAN + "}");
        boolean sms = bean.equals("${" + SendStep.SEND_SMS_BEAN + "}");
        if (!email && !sms) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>(
                problems(email, "true".equals(camundaAttribute(element, "asyncBefore")), inputParameters(element)));
        if (child(element, "multiInstanceLoopCharacteristics") != null) {
            problems.add(MULTI_INSTANCE);
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SendTaskRefused.ElementProblem(
                "Send task '" + element.attribute("id") + "'"
                        + (element.attribute("name") == null ? "" : " (" + element.attribute("name") + ")")
                        + " cannot be deployed: "
                        + String.join("; ", problems),
                element.getLine(),
                element.getColumn(),
                element.attribute("id")));
    }

    /** The problems of one send task, given whether it is asynchronous before and its literal inputs. */
    static List<String> problems(boolean email, boolean asyncBefore, Map<String, String> inputs) {
        List<String> problems = new ArrayList<>();
        if (!asyncBefore) {
            problems.add("it must be 'Asynchronous before' (camunda:asyncBefore=\"true\"), so the send runs as its own "
                    + "retried job");
        }
        if (email) {
            requireInput(inputs, MessagingVariables.TEMPLATE_ID.name(), problems);
            String data = inputs.get(MessagingVariables.TEMPLATE_DATA.name());
            if (isLiteral(data)) {
                try {
                    Object parsed = JSON.readValue(data, Object.class);
                    if (!(parsed instanceof Map)) {
                        problems.add(MessagingVariables.TEMPLATE_DATA.name() + " must be a JSON object");
                    } else {
                        problems.addAll(MessageTokens.problemsOfValue(parsed));
                    }
                } catch (Exception e) {
                    problems.add(MessagingVariables.TEMPLATE_DATA.name() + " is not JSON: "
                            + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        } else {
            requireInput(inputs, MessagingVariables.SMS_TEXT.name(), problems);
            String text = inputs.get(MessagingVariables.SMS_TEXT.name());
            if (isLiteral(text)) {
                problems.addAll(MessageTokens.problems(text));
            }
        }
        String whenCapped = inputs.get(MessagingVariables.WHEN_CAPPED.name());
        if (isLiteral(whenCapped) && !whenCapped.isBlank() && !whenCapped.trim().matches("(?i)SKIP|DEFER")) {
            problems.add(MessagingVariables.WHEN_CAPPED.name() + " must be SKIP or DEFER, not '" + whenCapped + "'");
        }
        return problems;
    }

    private static void requireInput(Map<String, String> inputs, String name, List<String> problems) {
        if (!inputs.containsKey(name)
                || inputs.get(name) == null
                || inputs.get(name).isBlank()) {
            problems.add("the input parameter '" + name + "' is missing");
        }
    }

    private static boolean isLiteral(String value) {
        return value != null && !value.contains("${") && !value.contains("#{");
    }

    private static String camundaAttribute(Element element, String name) {
        for (String attribute : element.attributes()) {
            if (attribute.equals(name) || attribute.endsWith(":" + name)) {
                return element.attribute(attribute);
            }
        }
        return element.attribute(name);
    }

    /** Input parameters with a text value (script, list and map inputs count as present, without a literal). */
    private static Map<String, String> inputParameters(Element element) {
        Map<String, String> inputs = new LinkedHashMap<>();
        Element extensions = child(element, "extensionElements");
        Element inputOutput = extensions == null ? null : child(extensions, "inputOutput");
        if (inputOutput == null) {
            return inputs;
        }
        for (Element parameter : inputOutput.elements()) {
            if (localName(parameter).equals("inputParameter")) {
                boolean structured = !parameter.elements().isEmpty();
                inputs.put(
                        parameter.attribute("name"),
                        structured ? "${structured}" : parameter.getText().trim());
            }
        }
        return inputs;
    }

    private static Element child(Element element, String localName) {
        for (Element child : element.elements()) {
            if (localName(child).equals(localName)) {
                return child;
            }
        }
        return null;
    }

    private static String localName(Element element) {
        String tag = element.getTagName();
        return tag.substring(tag.indexOf(':') + 1);
    }
}
