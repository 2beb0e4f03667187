package dev.handoff.chat.rest;

import dev.handoff.chat.auth.CurrentUser;
import dev.handoff.chat.rest.AuthResource.UserView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Who the caller is. */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    CurrentUser currentUser;

    @GET
    public UserView me() {
        return UserView.of(currentUser.get());
    }
}
