package io.loyalflow.platform.security;

import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The user calling the API in this request, and what their groups let them see.
 *
 * @param userId the Camunda user id
 * @param groups the Camunda groups of the user
 */
public record Caller(String userId, Set<String> groups) {

    private static final String GROUP_PREFIX = LoyalflowGroups.authority("");

    public Caller {
        groups = Set.copyOf(groups);
    }

    /** The caller of the current request; a caller in no group when nobody authenticated. */
    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            return new Caller(null, Set.of());
        }
        return new Caller(
                authentication.getName(),
                authentication.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .filter(authority -> authority.startsWith(GROUP_PREFIX))
                        .map(authority -> authority.substring(GROUP_PREFIX.length()))
                        .collect(Collectors.toSet()));
    }

    /**
     * Whether the caller may read customers' personal data (addresses, phone numbers, names, customer
     * ids tied to conditions): other services, which write it, and administrators. Analysts see counts
     * and rates, never a person.
     */
    public boolean mayReadPersonalData() {
        return groups.contains(LoyalflowGroups.SERVICE) || groups.contains(LoyalflowGroups.ADMIN);
    }
}
