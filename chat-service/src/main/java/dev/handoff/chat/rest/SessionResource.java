package dev.handoff.chat.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.service.FollowUpService;
import dev.handoff.chat.service.TranscriptService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;

/** Pages through a chat session's messages by sequence number; takes the user's follow-up messages. */
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

    public record FollowUpRequest(String text) {
    }

    /** The follow-up is stored as message {@code seq}; the task is {@code status} while it goes to the agent. */
    public record FollowUpAccepted(String sessionId, String taskId, long seq, String status) {
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    TranscriptService transcripts;

    @Inject
    FollowUpService followUps;

    /**
     * A follow-up for the session's agent: 202 once stored with FollowUpSubmitted; 400 naming {@code text}; 404 for
     * an unknown session; 409 while a turn runs or after the task ended.
     */
    @POST
    @Path("{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> followUp(@PathParam("id") String sessionId, FollowUpRequest request) {
        return followUps.submit(currentUser.get(), sessionId, request).map(accepted -> Response.accepted(accepted).build());
    }

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
