package io.loyalflow.platform.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.repository.DeploymentWithDefinitions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Deploys the models analysts keep in {@code bpmn/} and {@code dmn/} (packaged by the build as they
 * are) when the engine starts. Only changed files become new versions, so a restart never bumps the
 * version of a process nobody touched, and a newer version deployed from Camunda Modeler stays the
 * latest until the file in the repository itself changes.
 */
@Component
class ModelDeploymentPlugin extends AbstractProcessEnginePlugin {

    static final String DEPLOYMENT_NAME = "loyalflow-models";
    static final String DEPLOYMENT_SOURCE = "loyalflow-service";
    private static final Logger log = LoggerFactory.getLogger(ModelDeploymentPlugin.class);

    private final ModelLocations locations;

    public ModelDeploymentPlugin(ModelLocations locations) {
        this.locations = locations;
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        List<Resource> models = findModels();
        if (models.isEmpty()) {
            log.info("No BPMN or DMN models found at {}", locations.patterns());
            return;
        }
        DeploymentBuilder deployment = engine.getRepositoryService()
                .createDeployment()
                .name(DEPLOYMENT_NAME)
                .source(DEPLOYMENT_SOURCE)
                .enableDuplicateFiltering(true);
        for (Resource model : models) {
            try (InputStream content = model.getInputStream()) {
                deployment.addInputStream(model.getFilename(), content);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read model " + model, e);
            }
        }
        DeploymentWithDefinitions result = deployment.deployWithResult();
        log.info(
                "Deployed models {}: {} process definition(s) and {} decision definition(s) are new versions",
                models.stream().map(Resource::getFilename).toList(),
                result.getDeployedProcessDefinitions() == null
                        ? 0
                        : result.getDeployedProcessDefinitions().size(),
                result.getDeployedDecisionDefinitions() == null
                        ? 0
                        : result.getDeployedDecisionDefinitions().size());
    }

    private List<Resource> findModels() {
        var resolver = new PathMatchingResourcePatternResolver();
        return locations.patterns().stream()
                .flatMap(pattern -> {
                    try {
                        return Arrays.stream(resolver.getResources(pattern));
                    } catch (IOException e) {
                        throw new IllegalStateException("Cannot list models at " + pattern, e);
                    }
                })
                .filter(Resource::exists)
                .sorted(Comparator.comparing(Resource::getFilename))
                .toList();
    }

    /** Where the models come from; tests point it elsewhere. */
    @ConfigurationProperties("loyalflow.models")
    public record ModelLocations(List<String> patterns) {
        public ModelLocations {
            patterns = patterns == null
                    ? List.of("classpath*:bpmn/*.bpmn", "classpath*:dmn/*.dmn")
                    : List.copyOf(patterns);
        }
    }
}
