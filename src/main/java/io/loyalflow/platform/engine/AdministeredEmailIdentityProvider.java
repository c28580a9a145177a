package io.loyalflow.platform.engine;

import java.util.Locale;
import java.util.Objects;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.identity.IdentityOperationResult;
import org.camunda.bpm.engine.impl.identity.db.DbIdentityServiceProvider;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.UserEntity;

/**
 * Camunda's database identity provider, except that only an administrator (or the service itself,
 * acting without a user) may change a user's e-mail address: it is the verified address that user's
 * test sends go to. See {@link AdministeredEmailPlugin}. Every change of users, groups and memberships
 * is counted in {@link IdentityChanges}, which ends the remembered authentications at its commit.
 */
// public: the engine instantiates it by its class (GenericManagerFactory)
public class AdministeredEmailIdentityProvider extends DbIdentityServiceProvider {

    @Override
    public IdentityOperationResult saveUser(User user) {
        if (user instanceof UserEntity entity && entity.getRevision() != 0 && !byAdministratorOrService()) {
            UserEntity stored = getDbEntityManager().selectById(UserEntity.class, entity.getId());
            if (stored != null && !Objects.equals(normalised(stored.getEmail()), normalised(entity.getEmail()))) {
                throw new AuthorizationException("Only an administrator may change the e-mail address of user '"
                        + entity.getId() + "': it is the verified address that user's test sends go to.");
            }
        }
        IdentityChanges.afterCommit();
        return super.saveUser(user);
    }

    @Override
    public IdentityOperationResult deleteUser(String userId) {
        IdentityChanges.afterCommit();
        return super.deleteUser(userId);
    }

    @Override
    public IdentityOperationResult unlockUser(String userId) {
        IdentityChanges.afterCommit();
        return super.unlockUser(userId);
    }

    @Override
    public IdentityOperationResult saveGroup(Group group) {
        IdentityChanges.afterCommit();
        return super.saveGroup(group);
    }

    @Override
    public IdentityOperationResult deleteGroup(String groupId) {
        IdentityChanges.afterCommit();
        return super.deleteGroup(groupId);
    }

    @Override
    public IdentityOperationResult createMembership(String userId, String groupId) {
        IdentityChanges.afterCommit();
        return super.createMembership(userId, groupId);
    }

    @Override
    public IdentityOperationResult deleteMembership(String userId, String groupId) {
        IdentityChanges.afterCommit();
        return super.deleteMembership(userId, groupId);
    }

    private static boolean byAdministratorOrService() {
        CommandContext command = Context.getCommandContext();
        Authentication authentication = command.getAuthentication();
        return authentication == null
                || authentication.getUserId() == null
                || command.getAuthorizationManager().isCamundaAdmin(authentication);
    }

    private static String normalised(String email) {
        return email == null || email.isBlank() ? null : email.trim().toLowerCase(Locale.ROOT);
    }
}
