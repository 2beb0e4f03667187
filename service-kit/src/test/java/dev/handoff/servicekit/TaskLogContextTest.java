package dev.handoff.servicekit;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskLogContextTest {

    @AfterEach
    void clear() {
        MDC.remove(TaskLogContext.TASK_ID);
    }

    @Test
    void theTaskIsInTheMdcWhileItsWorkRunsAndGoneAfter() {
        Object during = TaskLogContext.around("task-1", () -> Uni.createFrom().item(() -> MDC.get("taskId")))
            .await().atMost(Duration.ofSeconds(5));

        assertThat(during).isEqualTo("task-1");
        assertThat(MDC.get("taskId")).isNull();
    }

    @Test
    void workOfAnotherTaskInsideRestoresTheOuterOne() {
        Object after = TaskLogContext.around("outer", () -> TaskLogContext.around("inner",
                () -> Uni.createFrom().item(() -> MDC.get("taskId")))
            .map(inner -> {
                assertThat(inner).isEqualTo("inner");
                return MDC.get("taskId");
            })).await().atMost(Duration.ofSeconds(5));

        assertThat(after).isEqualTo("outer");
    }

    @Test
    void failedWorkClearsItToo() {
        Uni<Object> failing = TaskLogContext.around("task-2", () -> Uni.createFrom().failure(new IllegalStateException("no")));

        assertThatThrownBy(() -> failing.await().atMost(Duration.ofSeconds(5))).hasMessage("no");
        assertThat(MDC.get("taskId")).isNull();
    }

    @Test
    void noTaskLeavesTheMdcAlone() {
        Object during = TaskLogContext.around(null, () -> Uni.createFrom().item(() -> MDC.get("taskId")))
            .await().atMost(Duration.ofSeconds(5));

        assertThat(during).isNull();
    }
}
