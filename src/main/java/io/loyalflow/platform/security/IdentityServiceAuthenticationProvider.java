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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checks HTTP Basic credentials against Camunda's identity service, the one user store: a user
 * created in Camunda Admin can call Loyalflow's API with the rights of their groups. Camunda's own
 * login throttling (failed-attempt delays and lock-out) applies.
 */
@Component
class IdentityServiceAuthenticationProvider implements AuthenticationProvider {

    private final IdentityService identityService;
    private final TransactionTemplate transactions;

    public IdentityServiceAuthenticationProvider(IdentityService identityService, TransactionTemplate transactions) {
        this.identityService = identityService;
        this.transactions = transactions;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String userId = authentication.getName();
        Object credentials = authentication.getCredentials();
        if (userId == null || userId.isEmpty() || !(credentials instanceof String password)) {
            throw new BadCredentialsException("Wrong user or password");
        }
        // The password check and the group query in one transaction: one connection and one commit per request
        // instead of two (every API call authenticates; shops send a cart update per click). A failed check's
        // attempt count (Camunda's throttling) commits with it: the refusal is thrown after the commit.
        List<SimpleGrantedAuthority> authorities = transactions.execute(tx -> {
            if (!identityService.checkPassword(userId, password)) {
                return null;
            }
            return identityService.createGroupQuery().groupMember(userId).list().stream()
                    .map(Group::getId)
                    .map(LoyalflowGroups::authority)
                    .map(SimpleGrantedAuthority::new)
                    .toList();
        });
        if (authorities == null) {
            throw new BadCredentialsException("Wrong user or password");
        }
        return UsernamePasswordAuthenticationToken.authenticated(userId, null, authorities);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
