package dev.handoff.chat.repository;

import dev.handoff.contracts.vocabulary.TaskStatus;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a task's status by its wire name ({@code turn_ended}), as the API shows it and as rows always held it. */
@Converter
public class TaskStatusColumn implements AttributeConverter<TaskStatus, String> {

    @Override
    public String convertToDatabaseColumn(TaskStatus status) {
        return status == null ? null : status.wireName();
    }

    @Override
    public TaskStatus convertToEntityAttribute(String wireName) {
        return wireName == null ? null : TaskStatus.ofWireName(wireName);
    }
}
