package io.loyalflow.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Which condition fields are customers' personal data, and what callers who may not read personal
 * data (analysts) may do with them: test their presence ({@code exists}), nothing else.
 *
 * <p>An estimate or a segment size is only a count, but a count over a condition the caller chooses
 * answers a yes/no question about people: {@code email contains "ann.l"} says whether such an
 * address exists, and a few hundred such questions spell out a whole address. Presence says nothing
 * a person can be recognised by. Personal are the contact details ({@code email}, {@code phone}), the
 * shop's identifier of the person ({@code customerId}, which a condition would tie to their features)
 * and customer attributes, which are free-form and may hold anything (birthdays, card numbers,
 * addresses), except those an administrator lists as holding none
 * ({@code loyalflow.segments.analyst-attributes}). Names are no condition field at all. Locale and
 * time zone are shared by too many customers to single one out and stay comparable.
 */
@Component
public class PersonalConditions {

    /** The condition fields that are personal data. */
    public static final Set<String> PERSONAL_FIELDS = Set.of("email", "phone", "customerId");

    static final String HIDDEN = "(personal data, hidden)";

    private final Set<String> analystAttributes;

    PersonalConditions(SegmentProperties properties) {
        this.analystAttributes = properties.analystAttributes();
    }

    /** Whether a condition field (including {@code attributes.<name>}) is personal data. */
    public boolean isPersonal(String field) {
        if (field.startsWith(ConditionTree.ATTRIBUTE_PREFIX)) {
            return !analystAttributes.contains(field.substring(ConditionTree.ATTRIBUTE_PREFIX.length()));
        }
        return PERSONAL_FIELDS.contains(field);
    }

    /**
     * Refuses a condition tree that compares personal data when the caller may not read it: a 403
     * naming the path of each such leaf's field (e.g. {@code conditions.and[1].field}). Call it with a
     * tree {@link ConditionTree#parse} accepted.
     *
     * @param personalData whether the caller may read personal data (then nothing is refused)
     */
    public void refuseUnlessAllowed(JsonNode tree, String path, boolean personalData) {
        if (personalData || tree == null || tree.isNull()) {
            return;
        }
        List<FieldViolation> refusals = new ArrayList<>();
        leaves(tree, path, (leaf, leafPath) -> {
            String field = leaf.path("field").asText();
            if (comparesPersonalData(leaf)) {
                refusals.add(new FieldViolation(
                        leafPath + ".field",
                        (field.startsWith(ConditionTree.ATTRIBUTE_PREFIX)
                                        ? "attribute '" + field.substring(ConditionTree.ATTRIBUTE_PREFIX.length())
                                                + "' may hold personal data"
                                        : "'" + field + "' is personal data")
                                + ": analysts may only test whether it is present (op exists, value true or false)"
                                + (field.startsWith(ConditionTree.ATTRIBUTE_PREFIX)
                                        ? "; an administrator lists the attributes that hold none in LOYALFLOW_SEGMENT_ANALYST_ATTRIBUTES"
                                        : "")));
            }
        });
        if (!refusals.isEmpty()) {
            throw Refusal.forbidden(
                    "Conditions on customers' personal data are for the service account and "
                            + "administrators; analysts may only test whether such a field is present.",
                    refusals);
        }
    }

    /**
     * A copy of a stored tree that analysts may read: the values compared with personal data are
     * replaced by {@value #HIDDEN} (a segment an administrator defined may name addresses).
     */
    public JsonNode redacted(JsonNode tree) {
        if (tree == null || tree.isNull()) {
            return tree;
        }
        JsonNode copy = tree.deepCopy();
        leaves(copy, "", (leaf, leafPath) -> {
            if (comparesPersonalData(leaf) && leaf.has("value") && leaf instanceof ObjectNode object) {
                object.put("value", HIDDEN);
            }
        });
        return copy;
    }

    private boolean comparesPersonalData(JsonNode leaf) {
        return leaf.path("field").isTextual()
                && isPersonal(leaf.path("field").textValue())
                && !ConditionOperator.EXISTS.json().equals(leaf.path("op").asText());
    }

    private interface LeafVisitor {
        void visit(JsonNode leaf, String path);
    }

    /** Walks the groups of a tree (and, or, not) down to its leaves, with each leaf's JSON path. */
    private static void leaves(JsonNode node, String path, LeafVisitor visitor) {
        leaves(node, path, visitor, 1);
    }

    /**
     * Deeper than a valid tree may be, nothing is visited: such a tree is refused as invalid anyway,
     * and a hostile one must not exhaust the stack.
     */
    private static void leaves(JsonNode node, String path, LeafVisitor visitor, int depth) {
        if (node == null || !node.isObject() || depth > ConditionTree.MAX_DEPTH) {
            return;
        }
        for (String group : List.of("and", "or")) {
            JsonNode children = node.get(group);
            if (children != null && children.isArray()) {
                for (int i = 0; i < children.size(); i++) {
                    leaves(children.get(i), join(path, group) + "[" + i + "]", visitor, depth + 1);
                }
                return;
            }
        }
        if (node.has("not")) {
            leaves(node.get("not"), join(path, "not"), visitor, depth + 1);
            return;
        }
        visitor.visit(node, path);
    }

    private static String join(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }
}
