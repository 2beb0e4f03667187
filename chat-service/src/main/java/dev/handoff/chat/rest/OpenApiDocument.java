package dev.handoff.chat.rest;

import dev.handoff.chat.auth.BrowserSessionService;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.List;
import java.util.Map;

/**
 * The shared parts of chat-service's OpenAPI document (served at {@code /q/openapi}), added once here instead of on
 * every endpoint: the error shape {@code {"status","field","message"}} ({@link ApiErrors.ApiError}) as the {@code 4XX}
 * and {@code 5XX} answer of every operation, the two ways to sign in (the browser's session cookie with the
 * {@code X-Handoff-Client} header on state-changing requests, or a Bearer API token), and only the public API: the
 * service-to-service {@code /internal} endpoints are left out.
 */
public class OpenApiDocument implements OASFilter {

    static final String ERROR_SCHEMA = "ApiError";

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getPaths() != null && openApi.getPaths().getPathItems() != null) {
            openApi.getPaths().getPathItems().keySet().stream().filter(path -> path.startsWith("/internal/")).toList()
                .forEach(openApi.getPaths()::removePathItem);
        }
        Components components = openApi.getComponents() != null ? openApi.getComponents() : OASFactory.createComponents();
        openApi.setComponents(components);
        components.addSchema(ERROR_SCHEMA, errorSchema());
        components.addSecurityScheme("sessionCookie", OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.COOKIE).name(BrowserSessionService.COOKIE)
            .description("The browser's session from POST /api/auth/login. A state-changing request must also carry "
                + AuthFilter.CLIENT_HEADER + ": web (see clientHeader)."));
        components.addSecurityScheme("clientHeader", OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name(AuthFilter.CLIENT_HEADER)
            .description("Required with the session cookie on POST, PUT and DELETE: " + AuthFilter.CLIENT_HEADER
                + ": web."));
        components.addSecurityScheme("apiToken", OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.HTTP).scheme("bearer")
            .description("An API token from POST /api/tokens: Authorization: Bearer <token>."));
        openApi.setSecurity(List.of(
            OASFactory.createSecurityRequirement().addScheme("apiToken"),
            OASFactory.createSecurityRequirement().addScheme("sessionCookie").addScheme("clientHeader")));
        if (openApi.getPaths() != null && openApi.getPaths().getPathItems() != null) {
            openApi.getPaths().getPathItems().values().forEach(item ->
                item.getOperations().values().forEach(OpenApiDocument::addErrorResponses));
        }
    }

    private static void addErrorResponses(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        Map<String, APIResponse> existing = operation.getResponses().getAPIResponses();
        if (existing == null || !existing.containsKey("4XX")) {
            operation.getResponses().addAPIResponse("4XX", errorResponse(
                "Refused: the message names the field at fault (401 unsigned, 403 not allowed, 404 unknown, "
                    + "409 conflict, 429 throttled with Retry-After)."));
        }
        if (existing == null || !existing.containsKey("5XX")) {
            operation.getResponses().addAPIResponse("5XX", errorResponse("Failed or busy (503 with Retry-After)."));
        }
    }

    private static APIResponse errorResponse(String description) {
        MediaType json = OASFactory.createMediaType()
            .schema(OASFactory.createSchema().ref(ERROR_SCHEMA));
        Content content = OASFactory.createContent().addMediaType("application/json", json);
        return OASFactory.createAPIResponse().description(description).content(content);
    }

    private static Schema errorSchema() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
            .description("Every error answer of the API.")
            .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))
                .description("The HTTP status, repeated."))
            .addProperty("field", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING, Schema.SchemaType.NULL))
                .description("The request field at fault, when one is."))
            .addProperty("message", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                .description("What was wrong, for a person."))
            .required(List.of("status", "message"))
            .example(Map.of("status", 400, "field", "repositoryUrl", "message", "repositoryUrl must be an https URL"));
    }
}
