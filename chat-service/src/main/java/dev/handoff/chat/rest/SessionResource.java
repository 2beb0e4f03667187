package dev.handoff.chat.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.metrics.OpenStreams;
import dev.handoff.chat.service.FollowUpService;
import dev.handoff.chat.service.SessionStreamService;
import dev.handoff.chat.service.UserLimits;
import dev.handoff.chat.service.UserLimitsConfig;
import dev.handoff.chat.service.SessionStreamService.StreamEvent;
import dev.handoff.chat.service.TranscriptService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** A chat session's messages: paged by sequence number, or live as Server-Sent Events by revision; the user's
 * follow-up messages. */
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    static final int MAX_PAGE = 500;

    public record MessageView(long seq, long revision, String role, String content, JsonNode data, String toolCallId,
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
        return followUps.submit(currentUser.get(), sessionId, request)
            .map(accepted -> Response.accepted(accepted).build());
    }

    @Inject
    SessionStreamService streams;

    @Inject
    OpenStreams openStreams;

    @Inject
    UserLimitsConfig limits;

    @GET
    @Path("{id}/messages")
    public Uni<MessagePage> messages(@PathParam("id") String sessionId,
                                     @QueryParam("after") @DefaultValue("0") String after,
                                     @QueryParam("limit") @DefaultValue("100") String limit) {
        long afterSeq = parse("after", after, 0, Long.MAX_VALUE);
        int pageSize = (int) parse("limit", limit, 1, MAX_PAGE);
        return transcripts.page(currentUser.get(), sessionId, afterSeq, pageSize);
    }

    /**
     * The session live: event {@code message} (SSE id = its revision) for every message created or changed after
     * {@code Last-Event-ID} (sent by a reconnecting EventSource) or else {@code after}, then as they change; event
     * {@code task} with the task view whenever its status or timeline changes. 429 (before the stream starts) when the
     * caller has {@code handoff.limits.streams-per-user-per-replica} streams open on this replica.
     */
    @GET
    @Path("{id}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@PathParam("id") String sessionId,
                                          @HeaderParam("Last-Event-ID") String lastEventId,
                                          @QueryParam("after") @DefaultValue("0") String after,
                                          @Context Sse sse) {
        long afterRevision = lastEventId != null && !lastEventId.isBlank()
            ? parse("Last-Event-ID", lastEventId.strip(), 0, Long.MAX_VALUE)
            : parse("after", after, 0, Long.MAX_VALUE);
        String userId = currentUser.get().id();
        int max = limits.streamsPerUserPerReplica();
        if (!openStreams.reserve(userId, max)) {
            throw UserLimits.reached("live streams open on this server", openStreams.openBy(userId), max,
                "handoff.limits.streams-per-user-per-replica", "close one first (a browser tab with a chat open)");
        }
        try {
            return openStreams.counted(userId, streams.events(userId, sessionId, afterRevision)
                .map(event -> frame(sse, event)));
        } catch (RuntimeException e) {
            openStreams.release(userId);
            throw e;
        }
    }

    private static OutboundSseEvent frame(Sse sse, StreamEvent event) {
        if (event.name() == null) {
            return sse.newEventBuilder().comment("keep-alive").build();
        }
        OutboundSseEvent.Builder builder = sse.newEventBuilder().name(event.name())
            .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, event.json());
        return event.id() == null ? builder.build() : builder.id(Long.toString(event.id())).build();
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
