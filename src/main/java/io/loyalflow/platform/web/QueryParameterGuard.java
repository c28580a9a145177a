package io.loyalflow.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses query parameters of the API that hold a NUL character, before any handler runs: PostgreSQL
 * can neither store nor compare such text, so a filter like {@code ?customerId=%00} would fail the
 * query with a 500 instead of telling the caller which parameter is wrong.
 */
@Configuration(proxyBeanMethods = false)
public class QueryParameterGuard implements WebMvcConfigurer, HandlerInterceptor {

  static final String MESSAGE = "must not contain NUL characters";

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).addPathPatterns("/api/**");
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    Violations violations = new Violations();
    for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
      for (String value : parameter.getValue()) {
        if (value != null && value.indexOf('\0') >= 0) {
          violations.add(parameter.getKey(), MESSAGE);
          break;
        }
      }
    }
    List<FieldViolation> found = violations.list();
    if (!found.isEmpty()) {
      throw new ApiProblemException(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST,
          found.get(0).field() + ": " + MESSAGE, found);
    }
    return true;
  }
}
