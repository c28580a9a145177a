package io.loyalflow.platform.security;

import static io.loyalflow.platform.security.LoyalflowGroups.ADMIN;
import static io.loyalflow.platform.security.LoyalflowGroups.ANALYST;
import static io.loyalflow.platform.security.LoyalflowGroups.MONITORING;
import static io.loyalflow.platform.security.LoyalflowGroups.OPERATOR;
import static io.loyalflow.platform.security.LoyalflowGroups.SERVICE;
import static io.loyalflow.platform.security.LoyalflowGroups.authority;

import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * Who may call what.
 * <ul>
 *   <li>{@code /api/**}: HTTP Basic against Camunda's identity service. Customer data (profiles,
 *       orders, imports) belongs to {@code loyalflow-service}; other reads are open to
 *       {@code loyalflow-analyst} too; {@code camunda-admin} may do everything.</li>
 *   <li>{@code /engine-rest/**}: Camunda's own Basic authentication filter, which also makes the
 *       engine check Camunda authorizations for the calling user (Camunda Modeler deploys here).</li>
 *   <li>{@code /camunda/**}: Cockpit, Tasklist and Admin, which have their own login and CSRF
 *       protection; Admin's first-run setup is closed.</li>
 *   <li>Actuator: health and info open (load balancers, Docker), the rest to
 *       {@code loyalflow-monitoring}.</li>
 *   <li>{@code /dashboard/**}: a form login ({@code /login}) against the same identity service, for
 *       {@code loyalflow-analyst} and up; the signed-in session also authenticates the dashboard's reads of
 *       {@code /api} (GET only, see {@link BrowserSessionReads}).</li>
 *   <li>Anything else is refused.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfiguration {

    @Bean
    AuthenticationManager authenticationManager(IdentityServiceAuthenticationProvider provider) {
        return new ProviderManager(provider);
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        String[] serviceOrAdmin = {authority(SERVICE), authority(ADMIN)};
        return stateless(http.securityMatcher("/api/**"), problems)
                .securityContext(context -> context.securityContextRepository(new DelegatingSecurityContextRepository(
                        new RequestAttributeSecurityContextRepository(), new BrowserSessionReads())))
                .authorizeHttpRequests(requests -> requests
                        // the dashboard's figures: campaigns with their reports and experiments (counts, no people)
                        .requestMatchers(
                                HttpMethod.GET,
                                "/api/campaigns",
                                "/api/campaigns/*/report",
                                "/api/campaigns/*/experiments")
                        .hasAnyAuthority(DASHBOARD_READERS)
                        // repairing journeys and enrollments is the operators' (it shows journeys, not people)
                        .requestMatchers(HttpMethod.POST, "/api/journeys/consistency-check")
                        .hasAnyAuthority(authority(OPERATOR), authority(ADMIN))
                        // test sends go to the caller's own address or phone, a campaign's as any single message
                        .requestMatchers(
                                HttpMethod.POST,
                                "/api/messaging/test-sends",
                                "/api/campaigns/*/test-send",
                                "/api/segments",
                                "/api/segments/estimate",
                                "/api/segments/refresh",
                                "/api/segments/*/refresh",
                                "/api/models/clv/fit")
                        .hasAnyAuthority(authority(SERVICE), authority(ANALYST), authority(ADMIN))
                        // whoever may define segments may delete them
                        .requestMatchers(HttpMethod.DELETE, "/api/segments/*")
                        .hasAnyAuthority(authority(SERVICE), authority(ANALYST), authority(ADMIN))
                        // starting a journey for a named customer is a service's call; configuring campaigns is the
                        // analysts'
                        .requestMatchers(HttpMethod.POST, "/api/campaigns/*/enrollments")
                        .hasAnyAuthority(serviceOrAdmin)
                        // campaign results are counts, no people: operators read them too
                        .requestMatchers(HttpMethod.GET, "/api/campaigns/*/report")
                        .hasAnyAuthority(authority(SERVICE), authority(ANALYST), authority(OPERATOR), authority(ADMIN))
                        // experiments' figures are counts and rates: operators, who watch journeys, read them too
                        .requestMatchers(HttpMethod.GET, "/api/campaigns/*/experiments")
                        .hasAnyAuthority(authority(SERVICE), authority(ANALYST), authority(OPERATOR), authority(ADMIN))
                        // moving running journeys to another template version is the analysts' decision; its
                        // progress is counts and journey ids, which operators (who watch batches) read too
                        .requestMatchers(HttpMethod.POST, "/api/campaigns/*/migrations")
                        .hasAnyAuthority(authority(ANALYST), authority(ADMIN))
                        .requestMatchers(HttpMethod.GET, "/api/campaigns/*/migrations", "/api/campaigns/*/migrations/*")
                        .hasAnyAuthority(authority(ANALYST), authority(OPERATOR), authority(ADMIN))
                        .requestMatchers("/api/campaigns", "/api/campaigns/**")
                        .hasAnyAuthority(authority(SERVICE), authority(ANALYST), authority(ADMIN))
                        // the recommendation model is about products, not people; which categories are consumable is
                        // the analysts' decision
                        .requestMatchers(
                                HttpMethod.GET,
                                "/api/products/*/recommendations",
                                "/api/recommendations/model",
                                "/api/recommendations/categories/*")
                        .hasAnyAuthority(authority(SERVICE), authority(ANALYST), authority(OPERATOR), authority(ADMIN))
                        .requestMatchers(HttpMethod.PUT, "/api/recommendations/categories/*")
                        .hasAnyAuthority(authority(ANALYST), authority(ADMIN))
                        // ad audiences: their sync status is counts (the dashboard shows it); which customers go to
                        // which ad audience is the analysts' choice; resuming one Meta flagged is the administrators'
                        .requestMatchers(HttpMethod.GET, "/api/audiences", "/api/audiences/*")
                        .hasAnyAuthority(DASHBOARD_READERS)
                        .requestMatchers(
                                HttpMethod.POST, "/api/audiences", "/api/audiences/*/replace", "/api/audiences/*/pause")
                        .hasAnyAuthority(authority(ANALYST), authority(ADMIN))
                        .requestMatchers(HttpMethod.POST, "/api/audiences/*/resume")
                        .hasAuthority(authority(ADMIN))
                        // the identity service's users: the verified phone their own test sends may go to
                        .requestMatchers("/api/users/**")
                        .hasAuthority(authority(ADMIN))
                        // personal data: profiles, orders, carts, and the messages sent to people (addresses, rendered
                        // texts)
                        .requestMatchers(
                                "/api/customers/**",
                                "/api/orders/**",
                                "/api/carts/**",
                                "/api/imports/**",
                                "/api/deliveries/**",
                                "/api/provider-events/**")
                        .hasAnyAuthority(serviceOrAdmin)
                        .requestMatchers(HttpMethod.GET, "/api/**")
                        .hasAnyAuthority(authority(SERVICE), authority(ANALYST), authority(ADMIN))
                        .anyRequest()
                        .hasAnyAuthority(serviceOrAdmin))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain actuatorSecurity(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return stateless(http.securityMatcher(EndpointRequest.toAnyEndpoint()), problems)
                .authorizeHttpRequests(requests -> requests.requestMatchers(
                                EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class))
                        .permitAll()
                        .anyRequest()
                        .hasAnyAuthority(authority(MONITORING), authority(ADMIN)))
                .build();
    }

    /** Who may see the dashboard and read the figures it shows: analysts and up. */
    private static final String[] DASHBOARD_READERS = {
        authority(ANALYST), authority(OPERATOR), authority(SERVICE), authority(ADMIN)
    };

    /** The dashboard's pages load scripts, styles and data from the service only, and no inline script. */
    static final String DASHBOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'self'";

    /**
     * The dashboard: Spring Security's login form against the identity service (the users and groups of
     * Cockpit), a session, CSRF protection on the login and logout forms. Users outside the dashboard's
     * groups get 403; anonymous visitors are sent to the login.
     */
    @Bean
    @Order(3)
    SecurityFilterChain dashboardSecurity(HttpSecurity http) throws Exception {
        return http.securityMatcher(
                        "/dashboard", "/dashboard/**", "/login", "/logout", "/default-ui.css", "/webjars/echarts/**")
                .authorizeHttpRequests(requests -> requests.requestMatchers("/default-ui.css")
                        .permitAll()
                        .anyRequest()
                        .hasAnyAuthority(DASHBOARD_READERS))
                .formLogin(form -> form.defaultSuccessUrl("/dashboard/", false).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
                .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin())
                        .contentSecurityPolicy(csp -> csp.policyDirectives(DASHBOARD_CSP)))
                .build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        return http
                // The webapps bring their own CSRF protection; the engine REST API, webhooks and unsubscribe links
                // take no cookies (RFC 8058 one-click unsubscribes are POSTs from mail providers, without any token).
                .csrf(AbstractHttpConfigurer::disable)
                .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()))
                .authorizeHttpRequests(requests -> requests
                        // Camunda Admin's first-run setup creates an administrator for anyone whenever camunda-admin
                        // has no
                        // direct member; Loyalflow creates its administrator from configuration, so the setup never
                        // opens.
                        .requestMatchers("/camunda/api/admin/setup/**")
                        .denyAll()
                        .requestMatchers(
                                "/camunda/**",
                                "/engine-rest/**",
                                "/webhooks/**",
                                "/unsubscribe/**",
                                "/",
                                "/error",
                                "/favicon.ico",
                                "/swagger-ui.html",
                                "/swagger-ui/**",
                                "/v3/api-docs",
                                "/v3/api-docs/**")
                        .permitAll()
                        .anyRequest()
                        .denyAll())
                .build();
    }

    private static HttpSecurity stateless(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(basic -> basic.authenticationEntryPoint(problems).realmName(ProblemSecurityHandlers.REALM))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
    }

    /** Camunda's own filter authenticates engine REST calls and sets the user for authorization checks. */
    @Bean
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
        var registration = new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.setName("camunda-engine-rest-authentication");
        registration.addInitParameter(
                ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
                HttpBasicAuthenticationProvider.class.getName());
        registration.addUrlPatterns("/engine-rest/*");
        return registration;
    }
}
