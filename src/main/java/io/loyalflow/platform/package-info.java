/**
 * Cross-cutting configuration every feature builds on: the engine's plugins, security, problem details
 * and web limits, database helpers, durable events and meter descriptions. An open module: features use
 * its sub-packages directly.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package io.loyalflow.platform;

import org.springframework.modulith.ApplicationModule;
