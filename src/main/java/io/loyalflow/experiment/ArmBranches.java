package io.loyalflow.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;

/**
 * The arms the exclusive gateway after an A/B split routes, read from the model: each branch's
 * condition names the arms it takes ({@code ${reminderArm == 'A'}}, {@code eq}, either side, several
 * joined by {@code ||}). Every arm needs a branch of its own; a default branch, or a branch whose
 * condition does not test the arm, would let an arm the model has no branch for take another arm's
 * path, so they are faults of the model.
 */
public final class ArmBranches {

    private final String gateway;
    private final Map<String, String> flowByArm;
    private final List<String> faults;

    private ArmBranches(String gateway, Map<String, String> flowByArm, List<String> faults) {
        this.gateway = gateway;
        this.flowByArm = flowByArm;
        this.faults = faults;
    }

    /** Reads the branches of the gateway that directly follows the split task. */
    public static ArmBranches after(FlowNode split, String armVariable) {
        String variable =
                armVariable == null || armVariable.isBlank() ? ExperimentVariables.ARM.name() : armVariable.trim();
        List<SequenceFlow> outgoing = outgoing(split);
        if (outgoing.size() != 1 || !(outgoing.iterator().next().getTarget() instanceof ExclusiveGateway gateway)) {
            return new ArmBranches(
                    null,
                    Map.of(),
                    List.of("it must be followed by an exclusive gateway with one branch "
                            + "per arm (conditions like ${" + variable + " == 'A'})"));
        }
        String gatewayName = label(gateway);
        Map<String, String> flowByArm = new LinkedHashMap<>();
        List<String> faults = new ArrayList<>();
        if (gateway.getDefault() != null) {
            faults.add("the gateway " + gatewayName + " has a default branch (" + label(gateway.getDefault())
                    + "): an arm without a branch of its own would take it; give that branch a condition such as ${"
                    + variable + " == 'B'} and remove the default");
        }
        Pattern test = armTest(variable);
        Pattern mention = Pattern.compile("(?<![\\w.$])" + Pattern.quote(variable) + "(?![\\w(])");
        for (SequenceFlow flow : outgoing(gateway)) {
            if (flow.equals(gateway.getDefault())) {
                continue;
            }
            ConditionExpression condition = flow.getConditionExpression();
            String text = condition == null || condition.getTextContent() == null ? "" : condition.getTextContent();
            Matcher matcher = test.matcher(text);
            List<String> arms = new ArrayList<>();
            while (matcher.find()) {
                arms.add(matcher.group(2) != null ? matcher.group(2) : matcher.group(4));
            }
            if (arms.isEmpty() || mention.matcher(matcher.replaceAll("")).find()) {
                faults.add("the branch " + label(flow) + " of the gateway " + gatewayName
                        + " does not name its arms as ${" + variable + " == 'A'}"
                        + (text.isBlank() ? " (it has no condition)" : ": " + text.trim()));
                continue;
            }
            for (String arm : arms) {
                String other = flowByArm.putIfAbsent(arm, label(flow));
                if (other != null && !other.equals(label(flow))) {
                    faults.add("arm '" + arm + "' has two branches after the gateway " + gatewayName + ": " + other
                            + " and " + label(flow));
                }
            }
        }
        return new ArmBranches(gatewayName, flowByArm, List.copyOf(faults));
    }

    /** The flows leaving a node, by their source (the {@code outgoing} elements are optional in BPMN files). */
    private static List<SequenceFlow> outgoing(FlowNode node) {
        return node.getModelInstance().getModelElementsByType(SequenceFlow.class).stream()
                .filter(flow -> node.equals(flow.getSource()))
                .toList();
    }

    /** {@code variable == 'X'} or {@code 'X' == variable} ({@code eq} too, single or double quotes). */
    private static Pattern armTest(String variable) {
        String name = "(?<![\\w.$])" + Pattern.quote(variable) + "(?![\\w(])";
        String op = "\\s*(?:==|\\beq\\b)\\s*";
        return Pattern.compile(name + op + "(['\"])([^'\"]*)\\1|(['\"])([^'\"]*)\\3" + op + name);
    }

    private static String label(FlowElement element) {
        String name = element.getName();
        return name == null || name.isBlank() ? element.getId() : "'" + name + "' (" + element.getId() + ")";
    }

    /** The arms that have a branch. */
    public Set<String> arms() {
        return flowByArm.keySet();
    }

    /** Faults of the model itself, whatever the weights: a default branch, a condition that does not name arms. */
    public List<String> modelFaults() {
        return faults;
    }

    /** The arms of these weights that have no branch of their own. */
    public List<String> unrouted(Arms arms) {
        return arms.names().stream().filter(arm -> !flowByArm.containsKey(arm)).toList();
    }

    /** Everything that would let an arm of these weights take a branch that is not its own, in words. */
    public List<String> faults(Arms arms) {
        List<String> all = new ArrayList<>(faults);
        List<String> unrouted = unrouted(arms);
        if (!unrouted.isEmpty() && gateway != null) {
            all.add((unrouted.size() == 1
                            ? "arm '" + unrouted.get(0) + "' has"
                            : "arms '" + String.join("', '", unrouted) + "' have")
                    + " no branch after the gateway " + gateway + ", which routes " + describe(flowByArm.keySet()));
        }
        return all;
    }

    private static String describe(Set<String> arms) {
        return arms.isEmpty() ? "no arm" : "only " + String.join(", ", arms);
    }
}
