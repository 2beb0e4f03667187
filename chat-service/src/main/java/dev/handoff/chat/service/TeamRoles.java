package dev.handoff.chat.service;

import dev.handoff.chat.rest.ApiException;

import java.util.Set;

/**
 * The rules of teams, without storage: owners manage the team (rename, members, roles, delete), members use its
 * projects; anyone may leave; a team always keeps at least one owner; a team project may be edited by the team's
 * owners and by its creator while a member. Each method throws the API's answer when the rule says no.
 */
public final class TeamRoles {

    public static final String OWNER = "owner";
    public static final String MEMBER = "member";
    public static final Set<String> ALL = Set.of(OWNER, MEMBER);

    private TeamRoles() {
    }

    /** @throws ApiException 403 unless {@code callerRole} is owner */
    public static void requireOwner(String callerRole, String what) {
        if (!OWNER.equals(callerRole)) {
            throw new ApiException(403, null, "only the team's owners may " + what);
        }
    }

    /**
     * Removing {@code targetUserId} (role {@code targetRole}) from a team with {@code owners} owners, asked by
     * {@code callerUserId} (role {@code callerRole}): an owner may remove anyone, anyone may remove themselves
     * (leave), and the last owner may not go.
     *
     * @throws ApiException 403 when a member removes someone else, 409 for the last owner
     */
    public static void checkRemoval(String callerUserId, String callerRole, String targetUserId, String targetRole,
                                    long owners) {
        if (!callerUserId.equals(targetUserId)) {
            requireOwner(callerRole, "remove other members");
        }
        if (OWNER.equals(targetRole) && owners <= 1) {
            throw new ApiException(409, null, "the team's last owner cannot leave or be removed; make another member"
                + " an owner first, or delete the team");
        }
    }

    /**
     * Changing a member's role from {@code currentRole} to {@code newRole} in a team with {@code owners} owners.
     *
     * @throws ApiException 403 unless the caller is an owner, 409 when it would leave the team without owners
     */
    public static void checkRoleChange(String callerRole, String currentRole, String newRole, long owners) {
        requireOwner(callerRole, "change roles");
        if (OWNER.equals(currentRole) && !OWNER.equals(newRole) && owners <= 1) {
            throw new ApiException(409, "role", "the team's last owner cannot stop being an owner; make another"
                + " member an owner first");
        }
    }

    /**
     * Whether a user may edit (rename, change defaults) a team's project: the team's owners, and the project's
     * creator.
     */
    public static boolean mayEditProject(String userId, String teamRole, String projectCreatorId) {
        return OWNER.equals(teamRole) || (teamRole != null && userId.equals(projectCreatorId));
    }
}
