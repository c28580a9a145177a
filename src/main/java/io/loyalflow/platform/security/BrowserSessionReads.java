package io.loyalflow.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Lets the dashboard's pages read {@code /api} with the session of the dashboard's login: a signed-in
 * browser's session authenticates GET and HEAD requests of the API only. Anything that changes data still
 * needs HTTP Basic credentials, so a page on another site cannot make a signed-in browser change anything
 * (no CSRF on the API), and the API itself never creates or writes a session.
 */
final class BrowserSessionReads implements SecurityContextRepository {

    private final HttpSessionSecurityContextRepository sessions = new HttpSessionSecurityContextRepository();

    BrowserSessionReads() {
        sessions.setAllowSessionCreation(false);
    }

    private static boolean reads(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        if (reads(request) && request.getSession(false) != null) {
            return sessions.loadDeferredContext(request);
        }
        return new DeferredSecurityContext() {
            @Override
            public SecurityContext get() {
                return SecurityContextHolder.createEmptyContext();
            }

            @Override
            public boolean isGenerated() {
                return true;
            }
        };
    }

    @Override
    @Deprecated
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return loadDeferredContext(holder.getRequest()).get();
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        // read-only: the dashboard's login writes the session, the API never does
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return reads(request) && sessions.containsContext(request);
    }
}
