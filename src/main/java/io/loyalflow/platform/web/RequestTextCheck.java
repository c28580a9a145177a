package io.loyalflow.platform.web;

import io.loyalflow.platform.problem.FieldViolation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Query parameters and path variables of the API are single-line identifiers, filters and cursors:
 * one holding a control character (NUL above all, which PostgreSQL cannot even compare) is refused
 * with 400 naming it, before any handler reads it. JSON bodies are checked by {@link StrictInputModule}.
 */
@Configuration(proxyBeanMethods = false)
class RequestTextCheck implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        List<FieldViolation> violations = new ArrayList<>();
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
            variables.forEach((name, value) -> check(String.valueOf(name), String.valueOf(value), violations));
        }
        request.getParameterMap().forEach((name, values) -> {
            if (Texts.hasControlCharacter(name)) {
                violations.add(new FieldViolation(
                        name.replace('\0', '\uFFFD'), "is not a parameter name: " + Texts.CONTROL_CHARACTERS));
                return;
            }
            for (String value : values) {
                check(name, value, violations);
            }
        });
        if (!violations.isEmpty()) {
            throw new ApiProblemException(
                    HttpStatus.BAD_REQUEST,
                    ProblemTypes.MALFORMED_REQUEST,
                    violations.get(0).field() + ": " + violations.get(0).message(),
                    violations);
        }
        return true;
    }

    private static void check(String name, String value, List<FieldViolation> violations) {
        if (Texts.hasControlCharacter(value)) {
            violations.add(new FieldViolation(name, "must not contain " + Texts.CONTROL_CHARACTERS));
        }
    }
}
