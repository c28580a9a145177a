package io.loyalflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.loyalflow.messaging.MessageTokens.MessageTemplateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MessageTokensTest {

    private static final Map<String, String> ANN = Map.of(
            "firstName",
            "Ann",
            "lastName",
            "Lee",
            "customerId",
            "c-42",
            "email",
            "ann@example.com",
            "phone",
            "+12125550123",
            "unsubscribeUrl",
            "https://x.example/unsubscribe/t0k",
            "referralShareUrl",
            "https://mention-me.example/m/ann",
            "successfulReferrals",
            "5",
            "extendedRevenue",
            "1234.5");

    private static Function<String, String> profile(Map<String, String> fields) {
        return fields::get;
    }

    private static Function<String, Optional<Object>> variables(Map<String, Object> values) {
        return name -> Optional.ofNullable(values.get(name));
    }

    private static final Function<String, Optional<Object>> NO_VARIABLES = name -> Optional.empty();

    @Test
    void rendersEveryProfileToken() {
        String text = MessageTokens.render(
                "{{firstName}} {{lastName}} ({{customerId}}) {{email}} {{phone}} "
                        + "{{unsubscribeUrl}} {{referralShareUrl}} {{successfulReferrals}} {{extendedRevenue}}",
                profile(ANN),
                NO_VARIABLES);

        assertThat(text)
                .isEqualTo("Ann Lee (c-42) ann@example.com +12125550123 https://x.example/unsubscribe/t0k "
                        + "https://mention-me.example/m/ann 5 1234.5");
    }

    @Test
    void spacesInsideTheBracesAreAllowed() {
        assertThat(MessageTokens.render("Hi {{ firstName }}!", profile(ANN), NO_VARIABLES))
                .isEqualTo("Hi Ann!");
    }

    @Test
    void aFallbackStandsInForAnEmptyOrMissingProfileValue() {
        Map<String, String> noName = new HashMap<>();
        noName.put("firstName", null);
        Map<String, String> emptyName = Map.of("firstName", "");

        assertThat(MessageTokens.render("Hi {{firstName|there}}!", profile(noName), NO_VARIABLES))
                .isEqualTo("Hi there!");
        assertThat(MessageTokens.render("Hi {{firstName|there}}!", profile(emptyName), NO_VARIABLES))
                .isEqualTo("Hi there!");
        assertThat(MessageTokens.render("Hi {{firstName|there}}!", profile(ANN), NO_VARIABLES))
                .isEqualTo("Hi Ann!");
    }

    @Test
    void anEmptyProfileValueWithoutFallbackRendersAsNothing() {
        assertThat(MessageTokens.render("Hi {{firstName}}!", profile(Map.of()), NO_VARIABLES))
                .isEqualTo("Hi !");
    }

    @Test
    void processVariablesRenderWithTheirStringValue() {
        String text = MessageTokens.render(
                "Code {{var.discountCode}}, {{var.percent}}% off, until {{var.until|soon}}",
                profile(ANN), variables(Map.of("discountCode", "SAVE10", "percent", 15)));

        assertThat(text).isEqualTo("Code SAVE10, 15% off, until soon");
    }

    @Test
    void aMissingVariableWithoutFallbackStopsTheRenderingNamingIt() {
        assertThatThrownBy(() -> MessageTokens.render("Code {{var.discountCode}}", profile(ANN), NO_VARIABLES))
                .isInstanceOf(MessageTemplateException.class)
                .hasMessageContaining("{{var.discountCode}}")
                .hasMessageContaining("'discountCode'");
    }

    @Test
    void aMissingVariableWithFallbackUsesTheFallback() {
        assertThat(MessageTokens.render("Code {{var.discountCode|WELCOME}}", profile(ANN), NO_VARIABLES))
                .isEqualTo("Code WELCOME");
    }

    @Test
    void problemsListsUnknownTokensBadVariableNamesAndUnbalancedBraces() {
        List<String> problems = MessageTokens.problems("Hi {{fistName}}, {{var.}} {{var.1st}} {{var.a-b}} {{firstName");

        assertThat(problems).hasSize(5);
        assertThat(problems.get(0))
                .startsWith(
                        "{{fistName}} is not a known token; known: customerId, email, "
                                + "extendedRevenue, firstName, lastName, phone, referralShareUrl, successfulReferrals, unsubscribeUrl");
        assertThat(problems.get(1)).isEqualTo("{{var.}} is not a valid process variable token (use {{var.name}})");
        assertThat(problems.get(2)).isEqualTo("{{var.1st}} is not a valid process variable token (use {{var.name}})");
        assertThat(problems.get(3)).isEqualTo("{{var.a-b}} is not a valid process variable token (use {{var.name}})");
        assertThat(problems.get(4)).isEqualTo("unbalanced braces: a token is written {{name}}");
    }

    @Test
    void strayClosingBracesAreUnbalancedToo() {
        assertThat(MessageTokens.problems("Hi firstName}} there"))
                .containsExactly("unbalanced braces: a token is written {{name}}");
        assertThat(MessageTokens.problems("Hi {firstName} there")).isEmpty();
    }

    @Test
    void aCorrectTextHasNoProblems() {
        assertThat(MessageTokens.problems("Hi {{firstName|there}}, code {{var.discount_Code2}}: {{unsubscribeUrl}}"))
                .isEmpty();
        assertThat(MessageTokens.problems("no tokens at all")).isEmpty();
        assertThat(MessageTokens.problems(null)).isEmpty();
    }

    @Test
    void renderingAFaultyTextRefusesWithTheProblemsInsteadOfSendingTokensLiterally() {
        assertThatThrownBy(() -> MessageTokens.render("Hi {{fistName}}", profile(ANN), NO_VARIABLES))
                .isInstanceOf(MessageTemplateException.class)
                .hasMessageContaining("{{fistName}} is not a known token");
        assertThatThrownBy(() -> MessageTokens.render("Hi {{firstName}", profile(ANN), NO_VARIABLES))
                .isInstanceOf(MessageTemplateException.class)
                .hasMessageContaining("unbalanced braces");
    }

    @Test
    void dollarsAndBackslashesInValuesAreInsertedLiterally() {
        Map<String, String> odd = Map.of("firstName", "A$1 \\n \\$2 $");

        String text = MessageTokens.render(
                "Hi {{firstName}}, pay {{var.price}}", profile(odd), variables(Map.of("price", "$0 \\ $g")));

        assertThat(text).isEqualTo("Hi A$1 \\n \\$2 $, pay $0 \\ $g");
        assertThat(MessageTokens.render("{{firstName|$1\\}}", profile(Map.of()), NO_VARIABLES))
                .isEqualTo("$1\\");
    }

    @Test
    void renderValueWalksMapsAndListsAndKeepsOtherValues() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("greeting", "Hi {{firstName|there}}");
        data.put("items", List.of("{{var.discountCode}}", 2, Map.of("who", "{{lastName}}")));
        data.put("nested", Map.of("deep", List.of(List.of("{{customerId}}"))));
        data.put("count", 3);
        data.put("flag", true);
        data.put("nothing", null);

        Object rendered = MessageTokens.renderValue(data, profile(ANN), variables(Map.of("discountCode", "SAVE10")));

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("greeting", "Hi Ann");
        expected.put("items", List.of("SAVE10", 2, Map.of("who", "Lee")));
        expected.put("nested", Map.of("deep", List.of(List.of("c-42"))));
        expected.put("count", 3);
        expected.put("flag", true);
        expected.put("nothing", null);
        assertThat(rendered).isEqualTo(expected);
        assertThat(List.copyOf(((Map<?, ?>) rendered).keySet()))
                .isEqualTo(List.of("greeting", "items", "nested", "count", "flag", "nothing"));
    }

    @Test
    void aValueThatIsOneVariableHoldingJsonBecomesThatArrayOrObjectWhoseTextIsNotRenderedAgain() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("products", "{{var.recommendations}}");
        data.put("spaced", "{{ var.recommendations }}");
        data.put("inText", "Top: {{var.recommendations}}");
        data.put("bracketText", "{{var.note}}");
        data.put("plain", "{{var.code}}");

        Object rendered = MessageTokens.renderValue(
                data,
                profile(ANN),
                variables(Map.of(
                        "recommendations",
                        "[{\"sku\":\"A{{B}}\",\"category\":\"shoes\"},{\"sku\":\"C\",\"category\":null}]",
                        "note",
                        "[sale] ends today",
                        "code",
                        "SAVE10")));

        Map<String, Object> products0 = new LinkedHashMap<>();
        products0.put("sku", "A{{B}}");
        products0.put("category", "shoes");
        Map<String, Object> products1 = new LinkedHashMap<>();
        products1.put("sku", "C");
        products1.put("category", null);
        Map<?, ?> result = (Map<?, ?>) rendered;
        assertThat(result.get("products")).isEqualTo(List.of(products0, products1));
        assertThat(result.get("spaced")).isEqualTo(List.of(products0, products1));
        assertThat(result.get("inText"))
                .isEqualTo("Top: [{\"sku\":\"A{{B}}\",\"category\":\"shoes\"}," + "{\"sku\":\"C\",\"category\":null}]");
        assertThat(result.get("bracketText")).isEqualTo("[sale] ends today");
        assertThat(result.get("plain")).isEqualTo("SAVE10");
    }

    @Test
    void renderValueRefusesAMissingVariableDeepInside() {
        Object data = Map.of("a", List.of(Map.of("b", "{{var.missing}}")));

        assertThatThrownBy(() -> MessageTokens.renderValue(data, profile(ANN), NO_VARIABLES))
                .isInstanceOf(MessageTemplateException.class)
                .hasMessageContaining("'missing'");
    }

    @Test
    void problemsOfValueFindsProblemsInNestedStrings() {
        List<Object> list = new ArrayList<>(Arrays.asList("{{nope}}", 1, null));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("fine", "{{firstName}}");
        data.put("list", list);
        data.put("map", Map.of("x", "{{var.}}"));

        List<String> problems = MessageTokens.problemsOfValue(data);

        assertThat(problems).hasSize(2);
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("{{nope}} is not a known token"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("{{var.}} is not a valid"));
    }

    /**
     * Texts shaped to make a backtracking token pattern explode (the former one took 16 s for 1,500 spaces
     * after <code>{{</code>). Parsing must stay linear: far under the generous bound, which only catches a hang
     * (timing targets are not asserted in unit tests).
     */
    @Test
    void hostileTextsOfAHundredThousandCharactersAreParsedWithoutDelay() {
        int n = 100_000;
        Map<String, String> hostile = new LinkedHashMap<>();
        hostile.put("open braces then spaces", "{{" + " ".repeat(n - 2));
        hostile.put("spaces around an unterminated fallback", "{{ " + " ".repeat(n / 2) + "|" + " ".repeat(n / 2));
        hostile.put("a variable token left open", "{{ var." + " ".repeat(n - 7));
        hostile.put("nested braces", "{".repeat(n / 2) + "}".repeat(n / 2));
        hostile.put("open braces only", "{{".repeat(n / 2));
        hostile.put("unterminated tokens", "{{firstName ".repeat(n / 12));
        hostile.put("tokens closed by one brace", "{{ a |b}".repeat(n / 8));
        hostile.put("bars and spaces", "{{" + " |".repeat(n / 2 - 1));
        hostile.put("many small tokens", "{{ firstName }}".repeat(n / 15));

        hostile.forEach((shape, text) -> assertTimeoutPreemptively(
                Duration.ofSeconds(2),
                () -> {
                    MessageTokens.tokens(text);
                    MessageTokens.problems(text);
                    MessageTokens.problemsOfValue(Map.of("data", List.of(text)));
                    try {
                        MessageTokens.render(text, profile(ANN), NO_VARIABLES);
                    } catch (MessageTemplateException refused) {
                        // most shapes are faulty texts: refusing them is right, hanging is not
                    }
                },
                shape));
    }

    /** The tokens found by the former pattern, which defined the syntax (fine on short texts). */
    private static final Pattern FORMER_TOKEN = Pattern.compile("\\{\\{\\s*([^{}|]*?)\\s*(?:\\|([^{}]*))?}}");

    @Test
    void theScannerFindsExactlyTheTokensTheFormerPatternFound() {
        char[] alphabet = {'{', '}', '|', ' ', '\t', 'a', 'v', 'r', '.', 'x'};
        Random random = new Random(15);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(16);
            for (int j = 0; j < length; j++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            List<MessageTokens.Token> expected = new ArrayList<>();
            Matcher matcher = FORMER_TOKEN.matcher(text);
            while (matcher.find()) {
                expected.add(
                        new MessageTokens.Token(matcher.start(), matcher.end(), matcher.group(1), matcher.group(2)));
            }
            assertThat(MessageTokens.tokens(text.toString()))
                    .as("tokens of \"%s\"", text)
                    .isEqualTo(expected);
        }
    }
}
