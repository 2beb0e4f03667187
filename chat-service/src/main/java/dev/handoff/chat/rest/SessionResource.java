package dev.handoff.chat.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.service.TranscriptService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** Pages through a chat session's messages by sequence number. */
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    static final int MAX_PAGE = 500;

    public record MessageView(long seq, String role, String content, JsonNode data, String toolCallId,
                              boolean complete, Instant createdAt, Instant updatedAt) {
    }

    /** {@code nextAfter} is the seq to pass as {@code after} for the following page; {@code taskId} the session's task. */
    public record MessagePage(String sessionId, String taskId, List<MessageView> messages, long nextAfter) {
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    TranscriptService transcripts;

    @GET
    @Path("{id}/messages")
    public Uni<MessagePage> messages(@PathParam("id") String sessionId,
                                     @QueryParam("after") @DefaultValue("0") String after,
                                     @QueryParam("limit") @DefaultValue("100") String limit) {
        long afterSeq = parse("after", after, 0, Long.MAX_VALUE);
        int pageSize = (int) parse("limit", limit, 1, MAX_PAGE);
        return transcripts.page(currentUser.get(), sessionId, afterSeq, pageSize);
    }

    private static long parse(String field, String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                throw ApiException.invalid(field, field + " must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, field + " must be a whole number, got '" + value + "'");
        }
    }
}
