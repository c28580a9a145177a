package io.loyalflow.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.loyalflow.platform.web.ApiProblemException;
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
