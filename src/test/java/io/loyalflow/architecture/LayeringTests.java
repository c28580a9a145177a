package io.loyalflow.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.loyalflow.platform.web.ApiProblemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.pvm.delegate.ActivityBehavior;
import org.junit.jupiter.api.Test;

/**
 * HTTP is the web layer's business: services and process steps refuse with domain exceptions and never see a
 * status code, so the same service serves the API, a BPMN step and a job alike. Process steps stay thin: the
 * SQL lives in the feature's services.
 */
class LayeringTests {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.loyalflow");

    private static final DescribedPredicate<JavaClass> HTTP_TYPES = resideInAnyPackage("org.springframework.http..")
            .or(assignableTo(ApiProblemException.class))
            .as("are HTTP types (org.springframework.http, ApiProblemException)");

    private static final DescribedPredicate<JavaClass> OUTSIDE_THE_WEB_LAYER = DescribedPredicate.not(
                    resideInAnyPackage("io.loyalflow.platform.web..", "io.loyalflow.platform.security..")
                            .or(describe(
                                    "controllers",
                                    javaClass ->
                                            topLevel(javaClass).getSimpleName().endsWith("Controller"))))
            .as("are outside the web layer (platform.web, platform.security, controllers)");

    private static final DescribedPredicate<JavaClass> PROCESS_STEPS = describe(
            "are process steps (JavaDelegate, ActivityBehavior)",
            javaClass -> isStep(javaClass)
                    || javaClass.getEnclosingClass().map(LayeringTests::isStep).orElse(false));

    @Test
    void onlyTheWebLayerSpeaksHttp() {
        noClasses()
                .that(OUTSIDE_THE_WEB_LAYER)
                .should()
                .dependOnClassesThat(HTTP_TYPES)
                .check(MAIN);
    }

    @Test
    void processStepsNeitherQueryTablesNorSpeakHttp() {
        noClasses()
                .that(PROCESS_STEPS)
                .should()
                .dependOnClassesThat(resideInAnyPackage("org.springframework.jdbc..")
                        .as("are JDBC types (JdbcTemplate, JdbcClient)")
                        .or(HTTP_TYPES))
                .check(MAIN);
    }

    /**
     * A step's class, from its annotations to its closing brace (package, imports and the class comment not
     * counted), has fewer than 30 lines: typed inputs, one service call, typed results.
     */
    @Test
    void processStepsAreThin() throws IOException {
        Map<String, Integer> lengths = new TreeMap<>();
        for (JavaClass step : MAIN.that(PROCESS_STEPS)) {
            if (step.getEnclosingClass().isPresent()) {
                continue;
            }
            Path source =
                    Path.of("src/main/java", step.getPackageName().replace('.', '/'), step.getSimpleName() + ".java");
            List<String> lines = Files.readAllLines(source);
            int declaration = 0;
            while (!lines.get(declaration).startsWith("@")
                    && !lines.get(declaration).matches("^(public |final |abstract )*class .*")) {
                declaration++;
            }
            lengths.put(step.getSimpleName(), lines.size() - declaration);
        }
        assertThat(lengths).as("the process steps found").hasSizeGreaterThanOrEqualTo(10);
        assertThat(lengths)
                .allSatisfy((step, length) ->
                        assertThat(length).as(step + "'s lines").isLessThan(30));
    }

    private static boolean isStep(JavaClass javaClass) {
        return javaClass.isAssignableTo(JavaDelegate.class) || javaClass.isAssignableTo(ActivityBehavior.class);
    }

    private static JavaClass topLevel(JavaClass javaClass) {
        JavaClass top = javaClass;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }
}
