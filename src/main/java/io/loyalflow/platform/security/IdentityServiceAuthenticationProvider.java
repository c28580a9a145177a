package io.loyalflow.platform.security;

import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Checks HTTP Basic credentials against Camunda's identity service, the one user store: a user
 * created in Camunda Admin can call Loyalflow's API with the rights of their groups. Camunda's own
 * login throttling (failed-attempt delays and lock-out) applies.
 */
@Component
class IdentityServiceAuthenticationProvider implements AuthenticationProvider {

    private final IdentityService identityService;

    public IdentityServiceAuthenticationProvider(IdentityService identityService) {
        this.identityService = identityService;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String userId = authentication.getName();
        Object credentials = authentication.getCredentials();
        if (userId == null
                || userId.isEmpty()
                || !(credentials instanceof String password)
                || !identityService.checkPassword(userId, password)) {
            throw new BadCredentialsException("Wrong user or password");
        }
        List<SimpleGrantedAuthority> authorities =
                identityService.createGroupQuery().groupMember(userId).list().stream()
                        .map(Group::getId)
                        .map(LoyalflowGroups::authority)
                        .map(SimpleGrantedAuthority::new)
                        .toList();
        return UsernamePasswordAuthenticationToken.authenticated(userId, null, authorities);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
