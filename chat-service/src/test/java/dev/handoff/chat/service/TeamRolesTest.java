package dev.handoff.chat.service;

import dev.handoff.chat.rest.ApiException;
import org.junit.jupiter.api.Test;

import static dev.handoff.chat.service.TeamRoles.MEMBER;
import static dev.handoff.chat.service.TeamRoles.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TeamRolesTest {

    @Test
    void onlyOwnersManageTheTeam() {
        assertThatCode(() -> TeamRoles.requireOwner(OWNER, "rename the team")).doesNotThrowAnyException();
        assertThatThrownBy(() -> TeamRoles.requireOwner(MEMBER, "rename the team"))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void anOwnerRemovesAnyoneAndAMemberOnlyThemselves() {
        assertThatCode(() -> TeamRoles.checkRemoval("a", OWNER, "b", MEMBER, 1)).doesNotThrowAnyException();
        assertThatCode(() -> TeamRoles.checkRemoval("b", MEMBER, "b", MEMBER, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> TeamRoles.checkRemoval("b", MEMBER, "c", MEMBER, 1))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> TeamRoles.checkRemoval("b", MEMBER, "a", OWNER, 1))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void theLastOwnerCannotLeaveBeRemovedOrStepDown() {
        assertThatThrownBy(() -> TeamRoles.checkRemoval("a", OWNER, "a", OWNER, 1))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThatCode(() -> TeamRoles.checkRemoval("a", OWNER, "a", OWNER, 2)).doesNotThrowAnyException();
        assertThatCode(() -> TeamRoles.checkRemoval("a", OWNER, "z", OWNER, 2)).doesNotThrowAnyException();
        assertThatThrownBy(() -> TeamRoles.checkRoleChange(OWNER, OWNER, MEMBER, 1))
            .isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(409);
                assertThat(e.field()).isEqualTo("role");
            });
        assertThatCode(() -> TeamRoles.checkRoleChange(OWNER, OWNER, MEMBER, 2)).doesNotThrowAnyException();
        assertThatCode(() -> TeamRoles.checkRoleChange(OWNER, MEMBER, OWNER, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> TeamRoles.checkRoleChange(MEMBER, MEMBER, OWNER, 1))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void aTeamProjectIsEditedByTheTeamsOwnersAndItsCreatorWhileAMember() {
        assertThat(TeamRoles.mayEditProject("a", OWNER, "c")).isTrue();
        assertThat(TeamRoles.mayEditProject("c", MEMBER, "c")).isTrue();
        assertThat(TeamRoles.mayEditProject("b", MEMBER, "c")).isFalse();
        assertThat(TeamRoles.mayEditProject("c", null, "c")).as("the creator after leaving").isFalse();
    }
}
