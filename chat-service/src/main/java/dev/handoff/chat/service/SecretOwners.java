package dev.handoff.chat.service;

import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.repository.ChatRepository;
import dev.handoff.chat.repository.Project;
import dev.handoff.chat.repository.Task;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whose secrets a request or a task uses: secrets belong to users. The settings API works on the signed-in user's
 * secrets; a task's node receives the secrets of the user who submitted the task (also in a team's project; tasks
 * from before teams: the project's owner).
 */
@ApplicationScoped
public class SecretOwners {

    @Inject
    CurrentUser currentUser;

    @Inject
    ChatRepository repository;

    /** The signed-in user whose secrets the settings API reads and writes; call it before any asynchronous step. */
    public String currentOwnerId() {
        return currentUser.get().id();
    }

    /** The user whose secrets a task's node receives; null for an unknown task (it then gets none). */
    public Uni<String> ownerOfTask(String taskId) {
        return Panache.withSession(() -> repository.find(Task.class, taskId)
            .flatMap(task -> task == null ? Uni.createFrom().<String>nullItem()
                : task.submittedBy != null ? Uni.createFrom().item(task.submittedBy)
                : repository.find(Project.class, task.projectId).map(project -> project == null ? null
                    : project.ownerId)));
    }
}
