package io.loyalflow.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.LoyalflowApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The feature packages are Spring Modulith application modules: no cycles between them, and none reaches
 * into another's sub-packages (its internals). {@code platform} is an open module every feature may use.
 */
class ModularityTests {

    private static final ApplicationModules MODULES = ApplicationModules.of(LoyalflowApplication.class);

    @Test
    void modulesKeepTheirBoundaries() {
        MODULES.verify();
    }

    @Test
    void everyFeaturePackageIsAModuleThatSaysWhatItOwns() {
        assertThat(MODULES.stream().map(ApplicationModule::getBasePackage).map(pkg -> pkg.getName()))
                .containsExactlyInAnyOrder(
                        "io.loyalflow.audience",
                        "io.loyalflow.campaign",
                        "io.loyalflow.cart",
                        "io.loyalflow.clv",
                        "io.loyalflow.customer",
                        "io.loyalflow.demo",
                        "io.loyalflow.experiment",
                        "io.loyalflow.journey",
                        "io.loyalflow.messaging",
                        "io.loyalflow.order",
                        "io.loyalflow.platform",
                        "io.loyalflow.recommendation",
                        "io.loyalflow.report",
                        "io.loyalflow.segment");
        MODULES.forEach(module -> assertThat(LoyalflowApplication.class
                        .getClassLoader()
                        .getResource(module.getBasePackage().getName().replace('.', '/') + "/package-info.class"))
                .as(
                        "%s has a package-info.java saying what it owns",
                        module.getBasePackage().getName())
                .isNotNull());
    }

    /** The module diagram readers see in docs/architecture.md is the one the code has. */
    @Test
    void theArchitectureDiagramShowsTheModulesDependencies() throws IOException {
        Set<String> inCode = new TreeSet<>();
        MODULES.forEach(module -> module.getDirectDependencies(MODULES)
                .uniqueModules()
                .filter(used -> !used.getIdentifier().toString().equals("platform"))
                .forEach(used -> inCode.add(module.getIdentifier() + " --> " + used.getIdentifier())));
        String page = Files.readString(Path.of("docs/architecture.md"));
        Matcher diagram =
                Pattern.compile("```mermaid\\n(.*?)```", Pattern.DOTALL).matcher(page);
        assertThat(diagram.find())
                .as("docs/architecture.md has a mermaid module diagram")
                .isTrue();
        Set<String> drawn = new TreeSet<>();
        Matcher edge = Pattern.compile("^\\s*(\\w+) --> (\\w+)\\s*$", Pattern.MULTILINE)
                .matcher(diagram.group(1));
        while (edge.find()) {
            drawn.add(edge.group(1) + " --> " + edge.group(2));
        }
        assertThat(drawn)
                .as("the edges of the module diagram in docs/architecture.md (every module uses platform)")
                .containsExactlyInAnyOrderElementsOf(inCode);
    }
}
