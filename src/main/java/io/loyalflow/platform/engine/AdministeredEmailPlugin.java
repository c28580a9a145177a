package io.loyalflow.platform.engine;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.GenericManagerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes a user's e-mail address one that only administrators set: analysts' test sends may go to the
 * e-mail of their own Camunda profile, so it must be one an administrator verified, not one the
 * analyst typed in. Camunda lets every user edit their own profile (and offers no permission for the
 * e-mail alone), and the engine has no public hook on identity writes, so the engine's identity
 * provider is replaced by {@link AdministeredEmailIdentityProvider}, the database provider that
 * refuses anyone else's change of an e-mail. Names and passwords stay the user's own.
 */
@Component
public class AdministeredEmailPlugin extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setIdentityProviderSessionFactory(
                new GenericManagerFactory(AdministeredEmailIdentityProvider.class));
    }
}
