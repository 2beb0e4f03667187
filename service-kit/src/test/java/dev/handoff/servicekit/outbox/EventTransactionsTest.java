package dev.handoff.servicekit.outbox;

import dev.handoff.contracts.InvalidEventException;
import jakarta.persistence.OptimisticLockException;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class EventTransactionsTest {

    @Test
    void lostRacesAreConflicts() {
        assertThat(EventTransactions.isConflict(new OptimisticLockException("row changed"))).isTrue();
        assertThat(EventTransactions.isConflict(new RuntimeException(new org.hibernate.StaleObjectStateException(
            "Task", "t1")))).isTrue();
        assertThat(EventTransactions.isConflict(violation("23505"))).as("unique key").isTrue();
    }

    @Test
    void otherConstraintViolationsAreNotConflicts() {
        assertThat(EventTransactions.isConflict(violation("23502"))).as("not null").isFalse();
        assertThat(EventTransactions.isConflict(violation("23503"))).as("foreign key").isFalse();
        assertThat(EventTransactions.isConflict(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void everythingButAnInvalidEventIsRetriedForConsumers() {
        assertThat(EventTransactions.isRetryable(new RuntimeException(new ConnectException("database away"))))
            .isTrue();
        assertThat(EventTransactions.isRetryable(new OptimisticLockException())).isTrue();
        assertThat(EventTransactions.isRetryable(new RuntimeException(new InvalidEventException("not JSON"))))
            .isFalse();
    }

    private static ConstraintViolationException violation(String sqlState) {
        return new ConstraintViolationException("violation", new SQLException("violation", sqlState), "constraint");
    }
}
