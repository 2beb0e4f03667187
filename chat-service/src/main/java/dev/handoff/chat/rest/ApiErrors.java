package dev.handoff.chat.rest;

import com.fasterxml.jackson.core.JsonLocation;
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
        return answer(400, null, notJson(e));
    }

    /** More specific than the JSON mappers Quarkus brings, so these answers name the field too. */
    @ServerExceptionMapper
    public Response unparseableJson(JsonParseException e) {
        return answer(400, null, notJson(e));
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
        return answer(400, field, (field == null ? "" : field + ": ") + "wrong JSON type: " + e.getOriginalMessage());
    }

    /**
     * Quarkus's JSON reader wraps a body Jackson cannot parse in a bare 400 ("HTTP 400 Bad Request"); this answer
     * says instead that the body is not JSON and where it broke.
     */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getResponse().getStatus() == 400 && e.getCause() instanceof JsonProcessingException unparseable) {
            return answer(400, null, notJson(unparseable));
        }
        return answer(e.getResponse().getStatus(), null, e.getMessage());
    }

    /** "the request body is not valid JSON (line 3, column 22): Unrecognized token 'oops': ..." */
    static String notJson(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        String at = where == null || where.getLineNr() < 0 ? ""
            : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
        return "the request body is not valid JSON" + at + ": " + e.getOriginalMessage();
    }

    private static Response answer(int status, String field, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
            .entity(new ApiError(status, field, message)).build();
    }
}
