package io.loyalflow.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which condition fields are personal data, attributes included, and the DMN inputs that are not. */
class PersonalConditionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PersonalConditions personal =
            new PersonalConditions(new SegmentProperties(null, null, Set.of("size")));

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }

    @Test
    void attributesArePersonalUnlessAnAdministratorListedThem() throws Exception {
        assertThat(personal.isPersonal("attributes.birthday")).isTrue();
        assertThat(personal.isPersonal("attributes.size")).isFalse();
        assertThat(personal.isPersonal("locale")).isFalse();
        assertThat(personal.isPersonal("email")).isTrue();

        Refusal refused = catchThrowableOfType(
                Refusal.class,
                () -> personal.refuseUnlessAllowed(
                        tree("{'or':[{'field':'attributes.size','op':'eq','value':'M'},"
                                + "{'field':'attributes.birthday','op':'in','value':['1990-01-01']}]}"),
                        "conditions",
                        false));
        assertThat(refused.kind()).isEqualTo(Refusal.Kind.FORBIDDEN);
        assertThat(refused.violations()).extracting(FieldViolation::field).containsExactly("conditions.or[1].field");
        assertThat(refused.violations().get(0).message()).contains("LOYALFLOW_SEGMENT_ANALYST_ATTRIBUTES");

        assertThatCode(() -> personal.refuseUnlessAllowed(
                        tree("{'field':'attributes.birthday','op':'exists','value':false}"), "conditions", false))
                .doesNotThrowAnyException();
        assertThatCode(() -> personal.refuseUnlessAllowed(
                        tree("{'field':'email','op':'contains','value':'ann'}"), "conditions", true))
                .doesNotThrowAnyException();
    }

    @Test
    void aTreeTooDeepToBeValidIsLeftToValidationInsteadOfExhaustingTheStack() throws Exception {
        JsonNode tree = tree("{'field':'email','op':'contains','value':'ann'}");
        for (int i = 0; i < 100_000; i++) {
            tree = JSON.createObjectNode().set("not", tree);
        }
        JsonNode hostile = tree;
        // (campaign settings are checked before validation; stored trees, which redaction reads, are valid)
        assertThatCode(() -> personal.refuseUnlessAllowed(hostile, "conditions", false))
                .doesNotThrowAnyException();
    }

    @Test
    void redactionHidesOnlyTheValuesComparedWithPersonalData() throws Exception {
        JsonNode redacted = personal.redacted(tree("{'and':[{'field':'email','op':'in','value':['ann@example.com']},"
                + "{'field':'phone','op':'exists'},{'field':'tier','op':'eq','value':'Gold'}]}"));
        assertThat(redacted.toString())
                .doesNotContain("ann@example.com")
                .contains(PersonalConditions.HIDDEN)
                .contains("\"Gold\"");
        assertThat(redacted.at("/and/1").has("value")).isFalse();
    }

    @Test
    void segmentDecisionsGetNoPersonalInput() {
        // analysts deploy these tables: an input holding an address would make segment sizes an oracle
        assertThat(DynamicSegments.DECISION_INPUTS)
                .allSatisfy(input -> assertThat(personal.isPersonal(input)).isFalse())
                .doesNotContain("firstName", "lastName", "email", "phone", "customerId");
    }
}
