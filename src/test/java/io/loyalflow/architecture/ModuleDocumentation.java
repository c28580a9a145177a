package io.loyalflow.architecture;

import io.loyalflow.LoyalflowApplication;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Writes Spring Modulith's documentation of the modules into {@code docs/modules/}: the component diagram
 * of all modules, one diagram per module and the module canvases (what each exposes, its beans, events and
 * configuration). Run by {@code ./mvnw -Pmodule-docs test}, not by the normal build.
 */
@Tag("module-docs")
class ModuleDocumentation {

    @Test
    void writeModuleDocumentation() {
        new Documenter(
                        ApplicationModules.of(LoyalflowApplication.class),
                        Documenter.Options.defaults().withOutputFolder("docs/modules"))
                .writeDocumentation();
    }
}
