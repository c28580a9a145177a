package io.loyalflow.platform.web;

import io.loyalflow.platform.problem.Refusal;
import java.net.URI;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard's addresses: its static pages are in {@code static/dashboard/}; {@code /dashboard} and
 * {@code /dashboard/} show the campaigns, {@code /dashboard/campaign?id=...} one campaign, and
 * {@code /dashboard/cockpit/{processKey}} leads to the newest version of a campaign's process in Cockpit
 * (Cockpit's pages are addressed by process definition id, which the browser does not know).
 */
@Controller
class DashboardPages implements WebMvcConfigurer {

    static final String COCKPIT_PROCESS = "/camunda/app/cockpit/default/#/process-definition/%s/runtime";
    private static final int MAX_KEY_LENGTH = 255;

    private final RepositoryService repositoryService;

    DashboardPages(RepositoryService repositoryService) {
        this.repositoryService = repositoryService;
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/dashboard", "/dashboard/");
        registry.addViewController("/dashboard/").setViewName("forward:/dashboard/index.html");
        registry.addViewController("/dashboard/campaign").setViewName("forward:/dashboard/campaign-page.html");
    }

    @GetMapping("/dashboard/cockpit/{processKey}")
    ResponseEntity<Void> cockpit(@PathVariable String processKey) {
        if (processKey.length() > MAX_KEY_LENGTH) {
            throw Refusal.invalid("processKey", "at most " + MAX_KEY_LENGTH + " characters");
        }
        ProcessDefinition newest = repositoryService
                .createProcessDefinitionQuery()
                .processDefinitionKey(processKey)
                .latestVersion()
                .withoutTenantId()
                .singleResult();
        if (newest == null) {
            throw Refusal.notFound("No process '" + processKey + "' is deployed.");
        }
        return ResponseEntity.status(HttpStatus.FOUND)
                .location(URI.create(COCKPIT_PROCESS.formatted(newest.getId())))
                .build();
    }
}
