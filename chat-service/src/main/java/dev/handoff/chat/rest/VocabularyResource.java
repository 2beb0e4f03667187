package dev.handoff.chat.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The shared vocabulary (task statuses, node sizes, permission policies), so the web page keeps no copy of it. */
@Path("/api/vocabulary")
@Produces(MediaType.APPLICATION_JSON)
public class VocabularyResource {

    private static final VocabularyView VOCABULARY = VocabularyView.of();

    @GET
    public VocabularyView vocabulary() {
        return VOCABULARY;
    }
}
