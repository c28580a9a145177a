package io.loyalflow.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The segment condition tree: parsing with exact 422 paths, evaluation in Java, and — the key property —
 * SQL that selects exactly the rows Java matches, checked on H2 over synthetic customers with NULLs and
 * the window edges in them.
 */
class ConditionTreeTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final LocalDate TODAY = LocalDate.of(2026, 3, 15);

    /** JSON written with single quotes for readability. */
    static JsonNode json(String singleQuoted) {
        try {
            return MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    static Condition parse(String singleQuoted) {
        return ConditionTree.parseOrThrow(json(singleQuoted), "definition");
    }

    static List<FieldViolation> faults(JsonNode tree) {
        return ConditionTree.validate(tree, "definition");
    }

    static Function<String, Object> only(String field, Object value) {
        return f -> f.equals(field) ? value : null;
    }

    static Arguments is(String tree, Object value, boolean expected) {
        return Arguments.of(tree, value, expected);
    }

    // -------------------------------------------------------------------------------------------------
    // Each operator on each type, evaluated in Java
    // -------------------------------------------------------------------------------------------------

    static Stream<Arguments> operatorCases() {
        return Stream.of(
                // numbers: compared numerically, whatever the Number type
                is("{'field':'orders','op':'eq','value':3}", 3, true),
                is("{'field':'orders','op':'eq','value':3}", 4L, false),
                is("{'field':'orders','op':'eq','value':3}", new BigDecimal("3.00"), true),
                is("{'field':'orders','op':'ne','value':3}", 4, true),
                is("{'field':'orders','op':'ne','value':3}", 3, false),
                is("{'field':'orders','op':'lt','value':3}", 2, true),
                is("{'field':'orders','op':'lt','value':3}", 3, false),
                is("{'field':'orders','op':'lte','value':3}", 3, true),
                is("{'field':'orders','op':'lte','value':3}", 4, false),
                is("{'field':'orders','op':'gt','value':3}", 4, true),
                is("{'field':'orders','op':'gt','value':3}", 3, false),
                is("{'field':'orders','op':'gte','value':3}", 3, true),
                is("{'field':'orders','op':'gte','value':3}", 2, false),
                is("{'field':'orders','op':'between','value':[2,4]}", 2, true),
                is("{'field':'orders','op':'between','value':[2,4]}", 4, true),
                is("{'field':'orders','op':'between','value':[2,4]}", 5, false),
                is("{'field':'orders','op':'between','value':[2,4]}", 1, false),
                is("{'field':'orders','op':'between','value':[4,2]}", 3, true),
                is("{'field':'orders','op':'in','value':[1,3,5]}", 3, true),
                is("{'field':'orders','op':'in','value':[1,3,5]}", 4, false),
                is("{'field':'orders','op':'exists'}", 0, true),
                is("{'field':'orders','op':'exists'}", null, false),
                is("{'field':'orders','op':'exists','value':false}", null, true),
                is("{'field':'orders','op':'exists','value':false}", 0, false),
                is("{'field':'orders','op':'eq','value':3}", null, false),
                is("{'field':'orders','op':'ne','value':3}", null, false),
                is("{'field':'totalSpend','op':'gte','value':100.50}", new BigDecimal("100.50"), true),
                is("{'field':'totalSpend','op':'gte','value':100.50}", new BigDecimal("100.49"), false),
                is("{'field':'spendPercentile','op':'gte','value':0.75}", 0.75d, true),
                is("{'field':'spendPercentile','op':'gte','value':0.75}", 0.7499d, false),
                is("{'field':'spendPercentile','op':'gte','value':0.75}", Double.NaN, false),
                // dates: ISO days
                is("{'field':'lastOrderDate','op':'eq','value':'2026-01-31'}", LocalDate.of(2026, 1, 31), true),
                is("{'field':'lastOrderDate','op':'eq','value':'2026-01-31'}", LocalDate.of(2026, 2, 1), false),
                is("{'field':'lastOrderDate','op':'ne','value':'2026-01-31'}", LocalDate.of(2026, 2, 1), true),
                is("{'field':'lastOrderDate','op':'ne','value':'2026-01-31'}", LocalDate.of(2026, 1, 31), false),
                is("{'field':'lastOrderDate','op':'lt','value':'2026-01-31'}", LocalDate.of(2026, 1, 30), true),
                is("{'field':'lastOrderDate','op':'lt','value':'2026-01-31'}", LocalDate.of(2026, 1, 31), false),
                is("{'field':'lastOrderDate','op':'lte','value':'2026-01-31'}", LocalDate.of(2026, 1, 31), true),
                is("{'field':'lastOrderDate','op':'lte','value':'2026-01-31'}", LocalDate.of(2026, 2, 1), false),
                is("{'field':'lastOrderDate','op':'gt','value':'2026-01-31'}", LocalDate.of(2026, 2, 1), true),
                is("{'field':'lastOrderDate','op':'gt','value':'2026-01-31'}", LocalDate.of(2026, 1, 31), false),
                is("{'field':'lastOrderDate','op':'gte','value':'2026-01-31'}", LocalDate.of(2026, 1, 31), true),
                is("{'field':'lastOrderDate','op':'gte','value':'2026-01-31'}", LocalDate.of(2026, 1, 30), false),
                is(
                        "{'field':'firstOrderDate','op':'between','value':['2025-12-31','2025-01-01']}",
                        LocalDate.of(2025, 12, 31),
                        true),
                is(
                        "{'field':'firstOrderDate','op':'between','value':['2025-01-01','2025-12-31']}",
                        LocalDate.of(2026, 1, 1),
                        false),
                is(
                        "{'field':'lastOrderDate','op':'in','value':['2026-01-31','2026-02-28']}",
                        LocalDate.of(2026, 2, 28),
                        true),
                is(
                        "{'field':'lastOrderDate','op':'in','value':['2026-01-31','2026-02-28']}",
                        LocalDate.of(2026, 2, 27),
                        false),
                is("{'field':'lastOrderDate','op':'exists'}", LocalDate.of(2026, 2, 27), true),
                is("{'field':'lastOrderDate','op':'exists','value':false}", LocalDate.of(2026, 2, 27), false),
                is("{'field':'lastOrderDate','op':'exists','value':false}", null, true),
                is("{'field':'lastOrderDate','op':'gte','value':'2026-01-31'}", null, false),
                // dates: relative to today (2026-03-15); "lt 45 days ago" means earlier than that day
                is("{'field':'lastOrderDate','op':'eq','value':{'daysAgo':45}}", TODAY.minusDays(45), true),
                is("{'field':'lastOrderDate','op':'eq','value':{'daysAgo':45}}", TODAY.minusDays(44), false),
                is("{'field':'lastOrderDate','op':'lt','value':{'daysAgo':45}}", TODAY.minusDays(46), true),
                is("{'field':'lastOrderDate','op':'lt','value':{'daysAgo':45}}", TODAY.minusDays(45), false),
                is("{'field':'lastOrderDate','op':'gte','value':{'daysAgo':45}}", TODAY.minusDays(45), true),
                is("{'field':'lastOrderDate','op':'gte','value':{'daysAgo':45}}", TODAY.minusDays(46), false),
                is("{'field':'lastOrderDate','op':'eq','value':{'daysAgo':0}}", TODAY, true),
                is(
                        "{'field':'lastOrderDate','op':'in','value':[{'daysAgo':1},'2026-01-01']}",
                        TODAY.minusDays(1),
                        true),
                is(
                        "{'field':'lastOrderDate','op':'in','value':[{'daysAgo':1},'2026-01-01']}",
                        LocalDate.of(2026, 1, 1),
                        true),
                is("{'field':'lastOrderDate','op':'in','value':[{'daysAgo':1},'2026-01-01']}", TODAY, false),
                // text: exact, except tier and referral activity (closed choices) which ignore case
                is("{'field':'email','op':'eq','value':'ann@example.com'}", "ann@example.com", true),
                is("{'field':'email','op':'eq','value':'ann@example.com'}", "Ann@example.com", false),
                is("{'field':'email','op':'ne','value':'ann@example.com'}", "bob@example.com", true),
                is("{'field':'email','op':'ne','value':'ann@example.com'}", "ann@example.com", false),
                is(
                        "{'field':'email','op':'in','value':['ann@example.com','bob@example.com']}",
                        "bob@example.com",
                        true),
                is(
                        "{'field':'email','op':'in','value':['ann@example.com','bob@example.com']}",
                        "eve@example.com",
                        false),
                is("{'field':'email','op':'contains','value':'EXAMPLE'}", "ann@example.com", true),
                is("{'field':'email','op':'contains','value':'example'}", "ann@example.org.uk", true),
                is("{'field':'email','op':'contains','value':'sample'}", "ann@example.com", false),
                is("{'field':'email','op':'contains','value':'a_b'}", "a_b@example.com", true),
                is("{'field':'email','op':'contains','value':'a_b'}", "axb@example.com", false),
                is("{'field':'locale','op':'contains','value':'50%'}", "50%off", true),
                is("{'field':'locale','op':'contains','value':'50%'}", "500ff", false),
                is("{'field':'email','op':'exists'}", "ann@example.com", true),
                is("{'field':'email','op':'exists'}", null, false),
                is("{'field':'phone','op':'exists','value':false}", null, true),
                is("{'field':'phone','op':'contains','value':'151'}", null, false),
                is("{'field':'tier','op':'eq','value':'gold'}", "Gold", true),
                is("{'field':'tier','op':'eq','value':'Gold'}", "GOLD", true),
                is("{'field':'tier','op':'eq','value':'Gold'}", "Silver", false),
                is("{'field':'tier','op':'ne','value':'Gold'}", "Silver", true),
                is("{'field':'tier','op':'ne','value':'Gold'}", "gold", false),
                is("{'field':'tier','op':'in','value':['Gold','Platinum']}", "platinum", true),
                is("{'field':'tier','op':'in','value':['Gold','Platinum']}", "Bronze", false),
                is("{'field':'referralActivity','op':'eq','value':'Active'}", "ACTIVE", true),
                is("{'field':'referralActivity','op':'eq','value':'Active'}", "DORMANT", false),
                is("{'field':'timeZone','op':'eq','value':'Europe/Berlin'}", "Europe/Berlin", true),
                is("{'field':'customerId','op':'in','value':['C-1','C-2']}", "C-3", false),
                // booleans
                is("{'field':'emailConsent','op':'eq','value':true}", true, true),
                is("{'field':'emailConsent','op':'eq','value':true}", false, false),
                is("{'field':'smsConsent','op':'ne','value':true}", false, true),
                is("{'field':'smsConsent','op':'ne','value':true}", true, false),
                is("{'field':'recentBuyer','op':'eq','value':false}", null, false),
                is("{'field':'recentBuyer','op':'exists'}", false, true),
                is("{'field':'recentBuyer','op':'exists','value':false}", null, true),
                // attributes: text, as the JSON attribute's text
                is("{'field':'attributes.size','op':'eq','value':'M'}", "M", true),
                is("{'field':'attributes.size','op':'eq','value':'M'}", "L", false),
                is("{'field':'attributes.size','op':'ne','value':'M'}", "L", true),
                is("{'field':'attributes.size','op':'ne','value':'M'}", null, false),
                is("{'field':'attributes.size','op':'in','value':['S','M']}", "S", true),
                is("{'field':'attributes.size','op':'in','value':['S','M']}", "XL", false),
                is("{'field':'attributes.favourite colour','op':'contains','value':'BLUE'}", "navy blue", true),
                is("{'field':'attributes.favourite colour','op':'contains','value':'red'}", "navy blue", false),
                is("{'field':'attributes.shoeSize','op':'eq','value':'42'}", 42, true),
                is("{'field':'attributes.size','op':'exists'}", "M", true),
                is("{'field':'attributes.size','op':'exists'}", null, false),
                is("{'field':'attributes.size','op':'exists','value':false}", null, true),
                is("{'field':'attributes.size','op':'exists','value':false}", "M", false));
    }

    @ParameterizedTest(name = "{0} on {1} is {2}")
    @MethodSource("operatorCases")
    void eachOperatorOnEachType(String tree, Object value, boolean expected) {
        Condition condition = parse(tree);
        String field = ((Condition.Leaf) condition).field();
        assertThat(ConditionMatcher.matches(condition, only(field, value), TODAY))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "last order {0} days ago: {1}")
    @CsvSource({"44, false", "45, true", "46, true", "89, true", "90, true", "91, false"})
    void betweenNinetyAndFortyFiveDaysAgoIncludesBothDays(int daysAgo, boolean expected) {
        Function<String, Object> values = only("lastOrderDate", TODAY.minusDays(daysAgo));
        Condition window = parse("{'field':'lastOrderDate','op':'between','value':[{'daysAgo':90},{'daysAgo':45}]}");
        Condition reversed = parse("{'field':'lastOrderDate','op':'between','value':[{'daysAgo':45},{'daysAgo':90}]}");

        assertThat(ConditionMatcher.matches(window, values, TODAY)).isEqualTo(expected);
        assertThat(ConditionMatcher.matches(reversed, values, TODAY)).isEqualTo(expected);
        assertThat(reversed).isEqualTo(window);
    }

    @Test
    void relativeDatesCountFromTheGivenTodaySoEachCustomersZoneApplies() {
        // Same instant, two customers: in Tokyo it is already the 16th, in New York still the 15th.
        Condition fortyFiveDaysAgo = parse("{'field':'lastOrderDate','op':'eq','value':{'daysAgo':45}}");
        Function<String, Object> lastOrder = only("lastOrderDate", LocalDate.of(2026, 1, 30));

        assertThat(ConditionMatcher.matches(fortyFiveDaysAgo, lastOrder, LocalDate.of(2026, 3, 16)))
                .isTrue();
        assertThat(ConditionMatcher.matches(fortyFiveDaysAgo, lastOrder, LocalDate.of(2026, 3, 15)))
                .isFalse();
    }

    // -------------------------------------------------------------------------------------------------
    // Nesting and NULLs
    // -------------------------------------------------------------------------------------------------

    @Test
    void andOrNotNest() {
        Condition condition = parse("{'and':[{'field':'tier','op':'in','value':['Gold','Platinum']},"
                + "{'or':[{'field':'emailConsent','op':'eq','value':true},{'field':'smsConsent','op':'eq','value':true}]},"
                + "{'not':{'field':'lastOrderDate','op':'gte','value':{'daysAgo':45}}}]}");

        Map<String, Object> goldEmailLapsed =
                Map.of("tier", "Gold", "emailConsent", true, "lastOrderDate", TODAY.minusDays(60));
        Map<String, Object> goldSmsLapsed =
                Map.of("tier", "Gold", "smsConsent", true, "lastOrderDate", TODAY.minusDays(60));
        Map<String, Object> goldNoConsent = Map.of("tier", "Gold", "lastOrderDate", TODAY.minusDays(60));
        Map<String, Object> goldEmailRecent =
                Map.of("tier", "Gold", "emailConsent", true, "lastOrderDate", TODAY.minusDays(10));
        Map<String, Object> silverEmailLapsed =
                Map.of("tier", "Silver", "emailConsent", true, "lastOrderDate", TODAY.minusDays(60));

        assertThat(ConditionMatcher.matches(condition, goldEmailLapsed::get, TODAY))
                .isTrue();
        assertThat(ConditionMatcher.matches(condition, goldSmsLapsed::get, TODAY))
                .isTrue();
        assertThat(ConditionMatcher.matches(condition, goldNoConsent::get, TODAY))
                .isFalse();
        assertThat(ConditionMatcher.matches(condition, goldEmailRecent::get, TODAY))
                .isFalse();
        assertThat(ConditionMatcher.matches(condition, silverEmailLapsed::get, TODAY))
                .isFalse();
    }

    @Test
    void notOverNullIsTrueBecauseTheComparisonItNegatesIsFalse() {
        // Two-valued logic: "orders > 3" is false for a missing value, so its negation holds; "ne" is a
        // comparison and stays false. A customer who never ordered has not ordered in the last 45 days.
        Function<String, Object> nothing = f -> null;

        assertThat(ConditionMatcher.matches(parse("{'field':'orders','op':'gt','value':3}"), nothing, TODAY))
                .isFalse();
        assertThat(ConditionMatcher.matches(parse("{'not':{'field':'orders','op':'gt','value':3}}"), nothing, TODAY))
                .isTrue();
        assertThat(ConditionMatcher.matches(parse("{'field':'tier','op':'ne','value':'Gold'}"), nothing, TODAY))
                .isFalse();
        assertThat(ConditionMatcher.matches(
                        parse("{'not':{'field':'lastOrderDate','op':'gte','value':{'daysAgo':45}}}"), nothing, TODAY))
                .isTrue();
        assertThat(ConditionMatcher.matches(
                        parse("{'not':{'not':{'field':'orders','op':'gt','value':3}}}"), nothing, TODAY))
                .isFalse();
        assertThat(ConditionMatcher.matches(parse("{'not':{'field':'email','op':'exists'}}"), nothing, TODAY))
                .isTrue();
    }

    @Test
    void singleChildGroupsAndDeepestAllowedNesting() {
        Condition tenLevels = parse(nested(9).toString().replace('"', '\''));

        assertThat(ConditionMatcher.matches(tenLevels, only("orders", 5), TODAY))
                .isFalse(); // nine nots: odd
        assertThat(ConditionMatcher.matches(
                        parse("{'or':[{'and':[{'field':'orders','op':'gte','value':1}]}]}"), only("orders", 1), TODAY))
                .isTrue();
    }

    @Test
    void fieldsListsWhatATreeTests() {
        Condition condition = parse("{'and':[{'field':'tier','op':'eq','value':'Gold'},"
                + "{'not':{'field':'attributes.size','op':'exists'}},{'field':'tier','op':'ne','value':'Silver'}]}");

        assertThat(ConditionTree.fields(condition)).containsExactly("tier", "attributes.size");
    }

    // -------------------------------------------------------------------------------------------------
    // Invalid trees: every fault, with its exact path
    // -------------------------------------------------------------------------------------------------

    /** A leaf wrapped in {@code nots} levels of not: the leaf sits at depth nots + 1. */
    static JsonNode nested(int nots) {
        JsonNode node = json("{'field':'orders','op':'gt','value':1}");
        for (int i = 0; i < nots; i++) {
            ObjectNode not = JsonNodeFactory.instance.objectNode();
            not.set("not", node);
            node = not;
        }
        return node;
    }

    static Arguments invalid(String tree, String path, String message) {
        return Arguments.of(tree, path, message);
    }

    static Stream<Arguments> invalidTrees() {
        return Stream.of(
                invalid(
                        "{'and':[{'field':'orders','op':'gte','value':1},{'field':'orders','op':'like','value':1}]}",
                        "definition.and[1].op",
                        "unknown operator 'like'"),
                invalid(
                        "{'or':[{'not':{'field':'shoeSize','op':'eq','value':1}}]}",
                        "definition.or[0].not.field",
                        "unknown field 'shoeSize'"),
                invalid("{'field':'orders','op':'gt','value':'3'}", "definition.value", "must be a number"),
                invalid(
                        "{'field':'lastOrderDate','op':'eq','value':'2026-02-30'}",
                        "definition.value",
                        "must be an ISO date"),
                invalid("{'field':'lastOrderDate','op':'eq','value':45}", "definition.value", "must be an ISO date"),
                invalid(
                        "{'field':'lastOrderDate','op':'lt','value':{'daysAgo':-1}}",
                        "definition.value.daysAgo",
                        "whole number of days"),
                invalid(
                        "{'field':'lastOrderDate','op':'lt','value':{'daysAgo':1.5}}",
                        "definition.value.daysAgo",
                        "whole number of days"),
                invalid(
                        "{'field':'lastOrderDate','op':'lt','value':{'daysAgo':4,'days':4}}",
                        "definition.value.days",
                        "unknown key"),
                invalid(
                        "{'field':'emailConsent','op':'eq','value':'yes'}",
                        "definition.value",
                        "must be true or false"),
                invalid("{'field':'email','op':'eq','value':5}", "definition.value", "must be a string"),
                invalid("{'field':'attributes.size','op':'eq','value':42}", "definition.value", "must be a string"),
                invalid("{'field':'orders','op':'in','value':[1,'two',3]}", "definition.value[1]", "must be a number"),
                invalid(
                        "{'field':'tier','op':'eq','value':'Gld'}",
                        "definition.value",
                        "must be one of Bronze, Silver, Gold, Platinum"),
                invalid(
                        "{'field':'referralActivity','op':'in','value':['Active','Sleeping']}",
                        "definition.value[1]",
                        "must be one of Active, Dormant"),
                invalid("{'field':'orders','op':'between','value':[1]}", "definition.value", "two bounds"),
                invalid("{'field':'orders','op':'between','value':5}", "definition.value", "two bounds"),
                invalid("{'field':'orders','op':'between','value':[1,'x']}", "definition.value[1]", "must be a number"),
                invalid(
                        "{'field':'lastOrderDate','op':'between','value':['2026-01-01',{'daysAgo':3}]}",
                        "definition.value",
                        "both be ISO dates or both be"),
                invalid("{'field':'orders','op':'in','value':[]}", "definition.value", "array of 1 to 1000 values"),
                invalid("{'field':'orders','op':'in','value':3}", "definition.value", "array of 1 to 1000 values"),
                invalid(
                        "{'field':'orders','op':'contains','value':'3'}",
                        "definition.op",
                        "operator 'contains' is not allowed for number field 'orders'"),
                invalid("{'field':'email','op':'gt','value':'a'}", "definition.op", "not allowed for text field"),
                invalid(
                        "{'field':'attributes.size','op':'lt','value':'M'}",
                        "definition.op",
                        "not allowed for attribute"),
                invalid("{'field':'smsConsent','op':'in','value':[true]}", "definition.op", "not allowed for boolean"),
                invalid("{'field':'email','op':'contains','value':''}", "definition.value", "must not be empty"),
                invalid("{'field':'email','op':'exists','value':'yes'}", "definition.value", "must be true or false"),
                invalid("{'and':[]}", "definition.and", "array of 1 to 50 conditions"),
                invalid(
                        "{'or':{'field':'orders','op':'gt','value':1}}",
                        "definition.or",
                        "array of 1 to 50 conditions"),
                invalid(
                        "{'and':[{'field':'orders','op':'gt','value':1}],'field':'orders'}",
                        "definition",
                        "has 'and' and 'field'"),
                invalid("{'field':'orders','op':'gt'}", "definition.value", "is required"),
                invalid("{'op':'gt','value':1}", "definition.field", "is required"),
                invalid("{'field':'orders','value':1}", "definition.op", "is required"),
                invalid("{'field':'orders','op':'gt','value':1,'values':[1]}", "definition.values", "unknown key"),
                invalid("{'not':{'field':'orders','op':'gt','value':1},'also':1}", "definition.also", "unknown key"),
                invalid("{'not':[{'field':'orders','op':'gt','value':1}]}", "definition.not", "must be an object"),
                invalid("{'and':[{'field':'orders','op':'gt','value':1},7]}", "definition.and[1]", "must be an object"),
                invalid("{}", "definition", "must have one of"),
                invalid("null", "definition", "is required"),
                invalid("{'field':'attributes.','op':'exists'}", "definition.field", "attribute names"),
                invalid("{'field':7,'op':'exists'}", "definition.field", "must be a string"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("invalidTrees")
    void invalidTreeNamesTheExactPath(String tree, String path, String message) {
        List<FieldViolation> faults = faults(json(tree));

        assertThat(faults).hasSize(1);
        assertThat(faults.get(0).field()).isEqualTo(path);
        assertThat(faults.get(0).message()).contains(message);
    }

    @Test
    void depthElevenIsRefusedAtTheNodeThatIsTooDeep() {
        List<FieldViolation> faults = faults(nested(10));

        assertThat(faults).extracting(FieldViolation::field).containsExactly("definition" + ".not".repeat(10));
        assertThat(faults.get(0).message()).contains("deeper than 10 levels");
        assertThat(faults(nested(9))).isEmpty();
    }

    @Test
    void moreThanFiftyChildrenAreRefused() {
        ArrayNode children = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 51; i++) {
            children.add(json("{'field':'orders','op':'gt','value':1}"));
        }
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.set("or", children);

        assertThat(faults(tree)).extracting(FieldViolation::field).containsExactly("definition.or");
        children.remove(50);
        assertThat(faults(tree)).isEmpty();
    }

    @Test
    void everyFaultIsReportedAtOnceAs422() {
        String tree = "{'and':[{'field':'orders','op':'like','value':1},"
                + "{'not':{'field':'shoeSize','op':'eq','value':1}},"
                + "{'field':'lastOrderDate','op':'between','value':[{'daysAgo':90}]},"
                + "{'field':'tier','op':'eq','value':'Gold'}]}";

        assertThatThrownBy(() -> parse(tree)).isInstanceOfSatisfying(Refusal.class, e -> {
            assertThat(e.kind()).isEqualTo(Refusal.Kind.INVALID);
            assertThat(e.violations())
                    .extracting(FieldViolation::field)
                    .containsExactly("definition.and[0].op", "definition.and[1].not.field", "definition.and[2].value");
        });
    }

    @Test
    void parseAddsToTheRequestsOtherViolations() {
        Violations violations = new Violations().add("name", "must not be blank");

        Optional<Condition> bad = ConditionTree.parse(json("{'field':'orders','op':'gt'}"), "definition", violations);
        Optional<Condition> good =
                ConditionTree.parse(json("{'field':'orders','op':'gt','value':1}"), "definition", violations);

        assertThat(bad).isEmpty();
        assertThat(good)
                .contains(new Condition.Leaf(
                        "orders",
                        ConditionType.NUMBER,
                        ConditionOperator.GT,
                        List.of(new ConditionValue.Num(BigDecimal.ONE))));
        assertThat(violations.list()).extracting(FieldViolation::field).containsExactly("name", "definition.value");
    }

    @Test
    void everyCatalogueFieldHasAType() {
        assertThat(ConditionTree.FIELDS)
                .hasSize(26)
                .containsEntry("orders", ConditionType.NUMBER)
                .containsEntry("predictedValuePercentile", ConditionType.NUMBER)
                .containsEntry("extendedRevenue", ConditionType.NUMBER)
                .containsEntry("lastOrderDate", ConditionType.DATE)
                .containsEntry("referralActivity", ConditionType.TEXT)
                .containsEntry("recentBuyer", ConditionType.BOOLEAN);
        assertThat(ConditionTree.typeOf("attributes.size")).contains(ConditionType.ATTRIBUTE);
        assertThat(ConditionTree.typeOf("attributes")).isEmpty();
    }

    // -------------------------------------------------------------------------------------------------
    // SQL shape
    // -------------------------------------------------------------------------------------------------

    static final Map<String, String> COLUMNS = columns();
    static final Map<String, String> DAYS_COLUMNS =
            Map.of("lastOrderDate", "days_since_last_order", "firstOrderDate", "days_since_first_order");

    static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("orders", "orders");
        columns.put("orders12Months", "orders_12m");
        columns.put("totalSpend", "total_spend");
        columns.put("spend12Months", "spend_12m");
        columns.put("averageOrderValue", "average_order_value");
        columns.put("daysSinceLastOrder", "days_since_last_order");
        columns.put("spendPercentile", "spend_percentile");
        columns.put("successfulReferrals", "successful_referrals");
        columns.put("extendedRevenue", "extended_revenue");
        columns.put("expectedPurchases", "expected_purchases");
        columns.put("probabilityAlive", "probability_alive");
        columns.put("expectedOrderValue", "expected_order_value");
        columns.put("predictedValue", "predicted_value");
        columns.put("predictedValuePercentile", "predicted_value_percentile");
        columns.put("lastOrderDate", "last_order_date");
        columns.put("firstOrderDate", "first_order_date");
        columns.put("tier", "tier");
        columns.put("email", "email");
        columns.put("phone", "phone");
        columns.put("locale", "locale");
        columns.put("timeZone", "time_zone");
        columns.put("referralActivity", "referral_activity");
        columns.put("customerId", "customer_id");
        columns.put("emailConsent", "email_consent");
        columns.put("smsConsent", "sms_consent");
        columns.put("recentBuyer", "recent_buyer");
        columns.put(ConditionTree.ATTRIBUTES_KEY, "(select a.val from seg_attr a where a.id = seg.id and a.name = %s)");
        return Map.copyOf(columns);
    }

    @Test
    void relativeWindowTranslatesToTheDaysColumn() {
        Condition window = parse("{'field':'lastOrderDate','op':'between','value':[{'daysAgo':90},{'daysAgo':45}]}");

        ConditionSql.Sql sql = ConditionSql.toSql(window, COLUMNS, DAYS_COLUMNS, TODAY);

        assertThat(sql.where()).isEqualTo("(days_since_last_order between ? and ?)");
        assertThat(sql.params()).containsExactly(45, 90);
    }

    @Test
    void withoutADaysColumnRelativeDatesBecomeDaysBeforeToday() {
        Condition window = parse("{'field':'lastOrderDate','op':'between','value':[{'daysAgo':45},{'daysAgo':90}]}");

        ConditionSql.Sql sql = ConditionSql.toSql(window, COLUMNS, TODAY);

        assertThat(sql.where()).isEqualTo("(last_order_date between ? and ?)");
        assertThat(sql.params()).containsExactly(TODAY.minusDays(90), TODAY.minusDays(45));
    }

    @Test
    void notCoalescesUnknownToFalseBeforeNegating() {
        ConditionSql.Sql sql = ConditionSql.toSql(
                parse(
                        "{'not':{'or':[{'field':'orders','op':'gt','value':3},{'field':'tier','op':'eq','value':'Gold'}]}}"),
                COLUMNS,
                TODAY);

        assertThat(sql.where()).isEqualTo("(not coalesce(((orders > ?) or (lower(tier) = ?)), false))");
        assertThat(sql.params()).containsExactly(new BigDecimal("3"), "gold");
    }

    @Test
    void containsEscapesLikeWildcards() {
        ConditionSql.Sql sql =
                ConditionSql.toSql(parse("{'field':'email','op':'contains','value':'50%_Off\\\\'}"), COLUMNS, TODAY);

        assertThat(sql.where()).isEqualTo("(lower(email) like ? escape '\\')");
        assertThat(sql.params()).containsExactly("%50\\%\\_off\\\\%");
    }

    @Test
    void inAndExistsAndAttributes() {
        assertThat(ConditionSql.toSql(parse("{'field':'orders','op':'in','value':[1,2,3]}"), COLUMNS, TODAY))
                .isEqualTo(new ConditionSql.Sql(
                        "(orders in (?, ?, ?))", List.of(BigDecimal.ONE, new BigDecimal("2"), new BigDecimal("3"))));
        assertThat(ConditionSql.toSql(parse("{'field':'phone','op':'exists','value':false}"), COLUMNS, TODAY))
                .isEqualTo(new ConditionSql.Sql("(phone is null)", List.of()));
        assertThat(ConditionSql.toSql(parse("{'field':'attributes.size','op':'in','value':['S','M']}"), COLUMNS, TODAY))
                .isEqualTo(new ConditionSql.Sql(
                        "((select a.val from seg_attr a where a.id = seg.id and a.name = ?) in (?, ?))",
                        List.of("size", "S", "M")));
    }

    @Test
    void attributesNeedAnExpressionFromTheCaller() {
        Condition condition = parse("{'field':'attributes.size','op':'exists'}");
        Map<String, String> withoutAttributes = new HashMap<>(COLUMNS);
        withoutAttributes.remove(ConditionTree.ATTRIBUTES_KEY);

        assertThatThrownBy(() -> ConditionSql.toSql(condition, withoutAttributes, TODAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attributes are not queryable here");
    }

    @Test
    void aFieldWithoutAColumnIsTheCallersMistake() {
        assertThatThrownBy(() -> ConditionSql.toSql(parse("{'field':'orders','op':'exists'}"), Map.of(), TODAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no column for field 'orders'");
    }

    // -------------------------------------------------------------------------------------------------
    // SQL and Java agree, on H2
    // -------------------------------------------------------------------------------------------------

    /** Synthetic customers: every field varies, NULLs included, window edges and LIKE wildcards present. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnH2 {

        static final Integer[] DAYS_SINCE_LAST_ORDER = {
            0, 1, 44, 45, 46, 89, 90, 91, 180, 365, 366, null, 44, 45, 90, 91, 7, null, 30, 400
        };
        static final String[] EMAILS = {
            "ann@example.com",
            "bob@example.com",
            "a_b@example.com",
            "axb@example.com",
            null,
            "Ann@Example.COM",
            "50%off@deals.io",
            "500ff@deals.io",
            "back\\slash@x.io",
            "eve@example.org"
        };
        static final String[] TIERS = {"Bronze", "Silver", "Gold", "Platinum", null, "gold"};
        static final String[] LOCALES = {"de-DE", "en-GB", "en-US", null};
        static final String[] ZONES = {"Europe/Berlin", "America/New_York", "Asia/Tokyo"};
        static final String[] ACTIVITIES = {"ACTIVE", "DORMANT", null};
        static final String[] SIZES = {"S", "M", "L", null};

        Connection connection;
        final List<Map<String, Object>> rows = new ArrayList<>();

        @BeforeAll
        void createTable() throws SQLException {
            connection = DriverManager.getConnection(
                    "jdbc:h2:mem:condition_tree_" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
            try (Statement statement = connection.createStatement()) {
                statement.execute(
                        "create table seg (id int primary key, orders int, orders_12m int,"
                                + " total_spend decimal(12, 2), spend_12m decimal(12, 2), average_order_value decimal(12, 2),"
                                + " days_since_last_order int, spend_percentile double precision, successful_referrals int,"
                                + " extended_revenue decimal(19, 4), expected_purchases double precision,"
                                + " probability_alive double precision, expected_order_value double precision,"
                                + " predicted_value double precision, predicted_value_percentile double precision,"
                                + " last_order_date date, first_order_date date,"
                                + " days_since_first_order int, tier varchar(16), email varchar(254), phone varchar(20),"
                                + " locale varchar(35), time_zone varchar(64), referral_activity varchar(16),"
                                + " customer_id varchar(100), email_consent boolean, sms_consent boolean, recent_buyer boolean)");
                statement.execute("create table seg_attr (id int, name varchar(100), val varchar(1000),"
                        + " primary key (id, name))");
            }
            for (int id = 1; id <= 20; id++) {
                rows.add(row(id));
            }
            List<String> fields = new ArrayList<>(ConditionTree.FIELDS.keySet());
            String insert = "insert into seg (id, "
                    + String.join(", ", fields.stream().map(COLUMNS::get).toList())
                    + ", days_since_first_order) values (?" + ", ?".repeat(fields.size() + 1) + ")";
            try (PreparedStatement seg = connection.prepareStatement(insert);
                    PreparedStatement attr = connection.prepareStatement("insert into seg_attr values (?, ?, ?)")) {
                for (Map<String, Object> row : rows) {
                    seg.setObject(1, row.get("id"));
                    for (int i = 0; i < fields.size(); i++) {
                        seg.setObject(i + 2, row.get(fields.get(i)));
                    }
                    seg.setObject(fields.size() + 2, row.get("daysSinceFirstOrder"));
                    seg.executeUpdate();
                    for (Map.Entry<String, Object> value : row.entrySet()) {
                        if (value.getKey().startsWith(ConditionTree.ATTRIBUTE_PREFIX)) {
                            attr.setObject(1, row.get("id"));
                            attr.setString(2, value.getKey().substring(ConditionTree.ATTRIBUTE_PREFIX.length()));
                            attr.setObject(3, value.getValue());
                            attr.executeUpdate();
                        }
                    }
                }
            }
        }

        @AfterAll
        void close() throws SQLException {
            connection.close();
        }

        /** One customer; absent keys are NULL (and absent attributes have no attribute row). */
        Map<String, Object> row(int id) {
            Map<String, Object> row = new HashMap<>();
            row.put("id", id);
            Integer days = DAYS_SINCE_LAST_ORDER[id - 1];
            int orders = days == null ? 0 : id % 7 + 1;
            BigDecimal spend = new BigDecimal(orders * 37).add(new BigDecimal("0.50"));
            row.put("orders", orders);
            row.put("orders12Months", days != null && days <= 365 ? orders : 0);
            row.put("totalSpend", days == null ? null : spend);
            row.put("spend12Months", days != null && days <= 365 ? spend : null);
            row.put(
                    "averageOrderValue",
                    days == null ? null : spend.divide(new BigDecimal(orders), 2, RoundingMode.HALF_UP));
            row.put("daysSinceLastOrder", days);
            row.put("spendPercentile", days != null && days <= 365 ? (id % 4 + 1) * 0.25 : null);
            row.put("lastOrderDate", days == null ? null : TODAY.minusDays(days));
            if (days != null) {
                int firstDays = days + id * 37 % 500;
                row.put("firstOrderDate", TODAY.minusDays(firstDays));
                row.put("daysSinceFirstOrder", firstDays);
            }
            row.put("tier", TIERS[id % TIERS.length]);
            row.put("email", EMAILS[id % EMAILS.length]);
            row.put("phone", id % 2 == 1 ? "+49151123450" + id : null);
            row.put("locale", LOCALES[id % LOCALES.length]);
            row.put("timeZone", ZONES[id % ZONES.length]);
            String activity = ACTIVITIES[id % ACTIVITIES.length];
            row.put("referralActivity", activity);
            if (activity != null) {
                row.put("successfulReferrals", id % 4);
                row.put("extendedRevenue", spend.add(new BigDecimal(id % 4 * 100)));
            }
            if (days != null && id % 5 != 0) {
                // a prediction for most buyers; none for customers without orders and a few others (not scored)
                double purchases = id % 6 * 0.75;
                double orderValue = 20.0 + id;
                row.put("expectedPurchases", purchases);
                row.put("probabilityAlive", id % 10 / 10.0);
                row.put("expectedOrderValue", orderValue);
                row.put("predictedValue", purchases * orderValue);
                row.put("predictedValuePercentile", id % 4 * 0.25);
            }
            row.put("customerId", "C-" + id);
            row.put("emailConsent", id % 3 == 0 ? null : id % 2 == 0);
            row.put("smsConsent", id % 4 == 0);
            row.put("recentBuyer", days != null && days <= 90);
            if (SIZES[id % SIZES.length] != null) {
                row.put("attributes.size", SIZES[id % SIZES.length]);
            }
            if (id == 7) {
                row.put("attributes.promo", "50%OFF");
            } else if (id == 8) {
                row.put("attributes.promo", "500FF");
            } else if (id % 5 == 0) {
                row.put("attributes.promo", "a_b");
            }
            return row;
        }

        List<Integer> selectedBySql(ConditionSql.Sql sql) throws SQLException {
            List<Integer> ids = new ArrayList<>();
            try (PreparedStatement query =
                    connection.prepareStatement("select id from seg where " + sql.where() + " order by id")) {
                for (int i = 0; i < sql.params().size(); i++) {
                    query.setObject(i + 1, sql.params().get(i));
                }
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) {
                        ids.add(result.getInt(1));
                    }
                }
            }
            return ids;
        }

        List<Integer> matchedInJava(Condition condition) {
            return rows.stream()
                    .filter(row -> ConditionMatcher.matches(condition, row::get, TODAY))
                    .map(row -> (Integer) row.get("id"))
                    .toList();
        }

        /** Each tree is designed to select some but not all rows, so agreement is not trivially empty. */
        static Stream<String> trees() {
            return Stream.of(
                    "{'field':'orders','op':'eq','value':3}",
                    "{'field':'orders','op':'ne','value':3}",
                    "{'field':'orders12Months','op':'lt','value':4}",
                    "{'field':'totalSpend','op':'lte','value':149.50}",
                    "{'field':'spend12Months','op':'gt','value':100}",
                    "{'field':'averageOrderValue','op':'gte','value':37.5}",
                    "{'field':'daysSinceLastOrder','op':'between','value':[90,45]}",
                    "{'field':'spendPercentile','op':'gte','value':0.75}",
                    "{'field':'predictedValuePercentile','op':'gte','value':0.5}",
                    "{'field':'probabilityAlive','op':'between','value':[0.3,0.7]}",
                    "{'not':{'field':'predictedValue','op':'gt','value':40}}",
                    "{'field':'expectedPurchases','op':'exists','value':false}",
                    "{'field':'successfulReferrals','op':'in','value':[0,2]}",
                    "{'field':'extendedRevenue','op':'exists','value':false}",
                    "{'field':'lastOrderDate','op':'between','value':[{'daysAgo':90},{'daysAgo':45}]}",
                    "{'field':'lastOrderDate','op':'between','value':[{'daysAgo':45},{'daysAgo':90}]}",
                    "{'field':'lastOrderDate','op':'eq','value':{'daysAgo':45}}",
                    "{'field':'lastOrderDate','op':'ne','value':{'daysAgo':45}}",
                    "{'field':'lastOrderDate','op':'lt','value':{'daysAgo':90}}",
                    "{'field':'lastOrderDate','op':'lte','value':{'daysAgo':90}}",
                    "{'field':'lastOrderDate','op':'gt','value':{'daysAgo':45}}",
                    "{'field':'lastOrderDate','op':'gte','value':{'daysAgo':45}}",
                    "{'field':'lastOrderDate','op':'in','value':[{'daysAgo':0},{'daysAgo':91},'2025-03-15']}",
                    "{'field':'lastOrderDate','op':'gte','value':'2026-01-29'}",
                    "{'field':'lastOrderDate','op':'between','value':['2025-12-01','2026-02-01']}",
                    "{'field':'firstOrderDate','op':'lt','value':{'daysAgo':365}}",
                    "{'field':'firstOrderDate','op':'exists'}",
                    "{'field':'tier','op':'eq','value':'Gold'}",
                    "{'field':'tier','op':'ne','value':'gold'}",
                    "{'field':'tier','op':'in','value':['GOLD','Platinum']}",
                    "{'field':'tier','op':'contains','value':'ZE'}",
                    "{'field':'email','op':'eq','value':'ann@example.com'}",
                    "{'field':'email','op':'contains','value':'A_B'}",
                    "{'field':'email','op':'contains','value':'50%'}",
                    "{'field':'email','op':'contains','value':'k\\\\s'}",
                    "{'field':'email','op':'contains','value':'example.com'}",
                    "{'field':'phone','op':'exists'}",
                    "{'field':'locale','op':'in','value':['de-DE','en-US']}",
                    "{'field':'timeZone','op':'ne','value':'Asia/Tokyo'}",
                    "{'field':'referralActivity','op':'eq','value':'Active'}",
                    "{'field':'referralActivity','op':'exists','value':false}",
                    "{'field':'customerId','op':'in','value':['C-1','C-20','C-99']}",
                    "{'field':'emailConsent','op':'eq','value':true}",
                    "{'field':'emailConsent','op':'ne','value':true}",
                    "{'field':'smsConsent','op':'eq','value':true}",
                    "{'field':'recentBuyer','op':'eq','value':false}",
                    "{'field':'attributes.size','op':'eq','value':'M'}",
                    "{'field':'attributes.size','op':'ne','value':'M'}",
                    "{'field':'attributes.size','op':'in','value':['S','L']}",
                    "{'field':'attributes.size','op':'exists','value':false}",
                    "{'field':'attributes.promo','op':'contains','value':'50%'}",
                    "{'field':'attributes.promo','op':'contains','value':'A_'}",
                    "{'not':{'field':'orders','op':'gt','value':3}}",
                    "{'not':{'field':'tier','op':'eq','value':'Gold'}}",
                    "{'not':{'field':'lastOrderDate','op':'gte','value':{'daysAgo':45}}}",
                    "{'not':{'field':'attributes.size','op':'eq','value':'M'}}",
                    "{'not':{'not':{'field':'spendPercentile','op':'gte','value':0.5}}}",
                    "{'not':{'and':[{'field':'emailConsent','op':'eq','value':true},"
                            + "{'field':'tier','op':'ne','value':'Bronze'}]}}",
                    "{'not':{'or':[{'field':'emailConsent','op':'eq','value':true},{'field':'phone','op':'exists'}]}}",
                    "{'and':[{'field':'tier','op':'in','value':['Gold','Platinum']},"
                            + "{'or':[{'field':'emailConsent','op':'eq','value':true},"
                            + "{'field':'smsConsent','op':'eq','value':true}]}]}",
                    "{'or':[{'field':'lastOrderDate','op':'between','value':[{'daysAgo':90},{'daysAgo':45}]},"
                            + "{'and':[{'field':'referralActivity','op':'eq','value':'Dormant'},"
                            + "{'not':{'field':'successfulReferrals','op':'gt','value':1}}]}]}",
                    "{'and':[{'not':{'field':'lastOrderDate','op':'between','value':[{'daysAgo':365},{'daysAgo':91}]}},"
                            + "{'field':'email','op':'exists'},{'not':{'field':'attributes.promo','op':'exists'}}]}");
        }

        Stream<Arguments> treesInBothModes() {
            return trees().flatMap(tree -> Stream.of(Arguments.of(tree, true), Arguments.of(tree, false)));
        }

        @ParameterizedTest(name = "{0} (days columns: {1})")
        @MethodSource("treesInBothModes")
        void sqlSelectsExactlyTheRowsJavaMatches(String tree, boolean withDaysColumns) throws SQLException {
            Condition condition = parse(tree);
            ConditionSql.Sql sql = withDaysColumns
                    ? ConditionSql.toSql(condition, COLUMNS, DAYS_COLUMNS, TODAY)
                    : ConditionSql.toSql(condition, COLUMNS, TODAY);

            List<Integer> java = matchedInJava(condition);

            assertThat(selectedBySql(sql)).as(sql.where()).isEqualTo(java);
            assertThat(java)
                    .as("a tree that selects none or all proves little")
                    .isNotEmpty()
                    .hasSizeLessThan(rows.size());
        }

        @Test
        void theWinBackWindowSelectsTheEdgeDaysExactly() throws SQLException {
            Condition window =
                    parse("{'field':'lastOrderDate','op':'between','value':[{'daysAgo':90},{'daysAgo':45}]}");

            // ids 4, 5, 6, 7, 14, 15 are 45, 46, 89, 90, 45 and 90 days since; 3, 8, 13, 16 are 44 and 91
            List<Integer> expected = List.of(4, 5, 6, 7, 14, 15);
            assertThat(matchedInJava(window)).isEqualTo(expected);
            assertThat(selectedBySql(ConditionSql.toSql(window, COLUMNS, DAYS_COLUMNS, TODAY)))
                    .isEqualTo(expected);
            assertThat(selectedBySql(ConditionSql.toSql(window, COLUMNS, TODAY)))
                    .isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("injections")
        void userTextStaysAParameter(String tree) throws Exception {
            // Plain JSON here: the single-quote shorthand of parse() would mangle the attacker's quote.
            Condition condition = ConditionTree.parseOrThrow(MAPPER.readTree(tree), "definition");
            ConditionSql.Sql sql = ConditionSql.toSql(condition, COLUMNS, TODAY);

            assertThat(sql.where()).doesNotContain("drop").doesNotContain("'x");
            assertThat(sql.params())
                    .anySatisfy(param -> assertThat(param.toString()).contains("drop table seg"));
            assertThat(selectedBySql(sql)).isEmpty();
            try (Statement statement = connection.createStatement();
                    ResultSet count = statement.executeQuery("select count(*) from seg")) {
                count.next();
                assertThat(count.getInt(1)).isEqualTo(rows.size());
            }
        }

        static Stream<String> injections() {
            String evil = "x'); drop table seg; --";
            return Stream.of(
                    "{\"field\": \"email\", \"op\": \"eq\", \"value\": \"" + evil + "\"}",
                    "{\"field\": \"email\", \"op\": \"in\", \"value\": [\"" + evil + "\"]}",
                    "{\"field\": \"email\", \"op\": \"contains\", \"value\": \"" + evil + "\"}",
                    "{\"field\": \"attributes.size\", \"op\": \"eq\", \"value\": \"" + evil + "\"}",
                    "{\"field\": \"attributes." + evil + "\", \"op\": \"exists\"}");
        }
    }
}
