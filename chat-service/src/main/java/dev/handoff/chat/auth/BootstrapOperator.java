package dev.handoff.chat.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** At startup, creates the operator named in {@code handoff.auth.bootstrap.*} when no account has that email. */
@ApplicationScoped
public class BootstrapOperator {

    @Inject
    AccountService accounts;

    void onStart(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(accounts::ensureBootstrapOperator);
    }
}
