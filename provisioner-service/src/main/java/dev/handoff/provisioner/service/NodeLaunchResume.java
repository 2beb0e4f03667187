package dev.handoff.provisioner.service;

import dev.handoff.provisioner.config.ProvisionerConfig;
import dev.handoff.provisioner.provider.HetznerProvider;
import dev.handoff.provisioner.provider.LocalNodeProvider;
import dev.handoff.provisioner.repository.NodeRepository;
import dev.handoff.servicekit.SafeContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes the crash window between committing a new node and launching it: right after startup and then every
 * {@code handoff.provisioner.launch-resume-interval}, nodes still provisioning with no recorded launch (no process
 * or server id) for longer than {@code launch-resume-after} are launched ({@link NodeProvisioningService#resumeLaunch},
 * which never makes a second machine for a node).
 */
@ApplicationScoped
public class NodeLaunchResume {

    private static final List<String> LAUNCHABLE = List.of(LocalNodeProvider.NAME, HetznerProvider.NAME);

    private final AtomicBoolean sweeping = new AtomicBoolean();

    @Inject
    NodeRepository nodes;

    @Inject
    NodeProvisioningService provisioning;

    @Inject
    ProvisionerConfig config;

    @Scheduled(every = "${handoff.provisioner.launch-resume-interval:10s}", delayed = "1s")
    void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        Instant createdBefore = Instant.now().minus(config.launchResumeAfter());
        SafeContext.run(null, "node launch resume", () -> Panache.withSession(
                () -> nodes.unlaunched(LAUNCHABLE, createdBefore))
                .flatMap(unlaunched -> Multi.createFrom().iterable(unlaunched)
                    .onItem().transformToUniAndConcatenate(provisioning::resumeLaunch)
                    .collect().last().replaceWithVoid()))
            .whenComplete((v, f) -> sweeping.set(false));
    }
}
