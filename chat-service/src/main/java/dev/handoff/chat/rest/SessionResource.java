package dev.handoff.chat.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.chat.service.SessionStreamService;
import dev.handoff.chat.service.SessionStreamService.StreamEvent;
import dev.handoff.chat.service.TranscriptService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.time.Instant;
import java.util.List;

/** A chat session's messages: paged by sequence number, or live as Server-Sent Events by revision. */
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    static final int MAX_PAGE = 500;

    public record MessageView(long seq, long revision, String role, String content, JsonNode data, String toolCallId,
                              boolean complete, Instant createdAt, Instant updatedAt) {
    }

    /** {@code nextAfter} is the seq to pass as {@code after} for the following page. */
    public record MessagePage(String sessionId, List<MessageView> messages, long nextAfter) {
    }

    @Inject
    TranscriptService transcripts;

    @Inject
    SessionStreamService streams;

    @GET
    @Path("{id}/messages")
    public Uni<MessagePage> messages(@PathParam("id") String sessionId,
                                     @QueryParam("after") @DefaultValue("0") String after,
                                     @QueryParam("limit") @DefaultValue("100") String limit) {
        long afterSeq = parse("after", after, 0, Long.MAX_VALUE);
        int pageSize = (int) parse("limit", limit, 1, MAX_PAGE);
        return transcripts.page(sessionId, afterSeq, pageSize);
    }

    /**
     * The session live: event {@code message} (SSE id = its revision) for every message created or changed after
     * {@code Last-Event-ID} (sent by a reconnecting EventSource) or else {@code after}, then as they change; event
     * {@code task} with the task view whenever its status or timeline changes.
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
        return streams.events(sessionId, afterRevision).map(event -> frame(sse, event));
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
