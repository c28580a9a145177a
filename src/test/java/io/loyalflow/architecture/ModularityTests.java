package io.loyalflow.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.LoyalflowApplication;
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
        .containsExactlyInAnyOrder("io.loyalflow.campaign", "io.loyalflow.clv", "io.loyalflow.customer",
            "io.loyalflow.demo", "io.loyalflow.experiment", "io.loyalflow.journey", "io.loyalflow.messaging",
            "io.loyalflow.order", "io.loyalflow.platform", "io.loyalflow.recommendation", "io.loyalflow.segment");
    MODULES.forEach(module -> assertThat(LoyalflowApplication.class.getClassLoader()
            .getResource(module.getBasePackage().getName().replace('.', '/') + "/package-info.class"))
        .as("%s has a package-info.java saying what it owns", module.getBasePackage().getName())
        .isNotNull());
  }
}
