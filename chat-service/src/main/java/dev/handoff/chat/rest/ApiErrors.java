package dev.handoff.chat.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns refused requests into a JSON body naming the field and what is wrong with it. */
public class ApiErrors {

    /** The body of every error answer. */
    public record ApiError(int status, String field, String message) {
    }

    @ServerExceptionMapper
    public Response refused(ApiException e) {
        Response answer = answer(e.status(), e.field(), e.getMessage());
        if (e.retryAfterSeconds() > 0) {
            answer.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
        }
        return answer;
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return answer(400, null, "malformed JSON: " + e.getOriginalMessage());
    }

    /** More specific than the JSON mappers Quarkus brings, so these answers name the field too. */
    @ServerExceptionMapper
    public Response unparseableJson(JsonParseException e) {
        return answer(400, null, "malformed JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
        return answer(400, field, (field == null ? "" : field + ": ") + "wrong JSON type: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return answer(e.getResponse().getStatus(), null, e.getMessage());
    }

    private static Response answer(int status, String field, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
            .entity(new ApiError(status, field, message)).build();
    }
}
