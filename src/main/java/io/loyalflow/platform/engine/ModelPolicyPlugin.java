package io.loyalflow.platform.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.deploy.Deployer;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ResourceEntity;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Applies the {@link ModelPolicy} to every new deployment made by a user who is not an administrator (the
 * engine's administrators: {@code camunda-admin} and any configured admin group or user). Administrators
 * may deploy anything; so may the application itself (no user: the models of {@code bpmn/} and
 * {@code dmn/} at start).
 *
 * <p>The check is a deployer that the engine runs before its own BPMN and DMN deployers, inside the deploy
 * command: a refusal rolls the command back, so nothing of the deployment is stored, and nothing of the
 * model is ever evaluated (the engine evaluates a timer start event's expression while it deploys). It
 * covers every way to deploy (Modeler's {@code deployment/create}, {@code redeploy}, the Java API).
 * The engine offers this hook only through its {@code impl} packages ({@code Deployer},
 * {@code customPreDeployers}, the command context's authentication and its admin check), hence their use.
 */
@Component
class ModelPolicyPlugin extends AbstractProcessEnginePlugin {

    private final ApplicationContext applicationContext;
    private final ParsedOnceFeelEngine feel = new ParsedOnceFeelEngine();
    private volatile ModelPolicy policy;

    public ModelPolicyPlugin(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (configuration.getCustomPreDeployers() == null) {
            configuration.setCustomPreDeployers(new ArrayList<>());
        }
        configuration.getCustomPreDeployers().add(new PolicyDeployer(configuration));
    }

    private final class PolicyDeployer implements Deployer {
        private final ProcessEngineConfigurationImpl configuration;

        PolicyDeployer(ProcessEngineConfigurationImpl configuration) {
            this.configuration = configuration;
        }

        @Override
        public void deploy(DeploymentEntity deployment) {
            // deployers also run when the engine reloads an existing deployment into its cache: only new ones are
            // judged
            if (!deployment.isNew() || deployment.getResources() == null || !byUserOtherThanAdmin()) {
                return;
            }
            ModelPolicy modelPolicy = policy(configuration);
            List<ModelPolicy.Violation> violations = deployment.getResources().values().stream()
                    .sorted(Comparator.comparing(ResourceEntity::getName))
                    .flatMap(resource -> modelPolicy.check(resource.getName(), resource.getBytes()).stream())
                    .toList();
            if (!violations.isEmpty()) {
                throw new ModelPolicyViolation(violations);
            }
        }
    }

    private static boolean byUserOtherThanAdmin() {
        CommandContext commandContext = Context.getCommandContext();
        Authentication authentication = commandContext == null ? null : commandContext.getAuthentication();
        if (authentication == null || authentication.getUserId() == null) {
            return false;
        }
        return !commandContext.getAuthorizationManager().isCamundaAdmin(authentication);
    }

    /** Built at the first deployment: the DMN engine's defaults exist only once the engine is built. */
    private ModelPolicy policy(ProcessEngineConfigurationImpl configuration) {
        ModelPolicy built = policy;
        if (built == null) {
            DefaultDmnEngineConfiguration dmn = configuration.getDmnEngineConfiguration();
            built = new ModelPolicy(
                    applicationContext::containsBean,
                    new ModelPolicy.DmnLanguages(
                            dmn.getDefaultInputExpressionExpressionLanguage(),
                                    dmn.getDefaultInputEntryExpressionLanguage(),
                            dmn.getDefaultOutputEntryExpressionLanguage(), dmn.getDefaultLiteralExpressionLanguage()),
                    feel);
            policy = built;
        }
        return built;
    }
}
