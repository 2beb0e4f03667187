package dev.handoff.vmagent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BranchNameTest {

    @Test
    void slugOfTheTaskTextPlusTheTaskIdsStart() {
        assertThat(BranchName.forTask("1A2B3C4D-1111-4000-8000-000000000001", "Fix the login timeout in auth.ts!"))
            .isEqualTo("handoff/fix-the-login-timeout-in-auth-ts-1a2b3c4d");
    }

    @Test
    void longTextIsCutAtAWordAndOddCharactersVanish() {
        String branch = BranchName.forTask("abcdef12-x", "Übersetze: the *whole* README.md into ~German~ and "
            + "then rewrite every test in Kotlin [[write-file a b]]");

        assertThat(branch).startsWith("handoff/bersetze-the-whole-readme-md-into").endsWith("-abcdef12");
        assertThat(branch.length()).isLessThanOrEqualTo("handoff/".length() + BranchName.MAX_SLUG_CHARS + 9);
        assertThat(branch).matches("handoff/[a-z0-9-]+");
    }

    @Test
    void textWithoutLettersStillGivesAValidBranch() {
        assertThat(BranchName.forTask("0f0f0f0f", "???")).isEqualTo("handoff/task-0f0f0f0f");
    }
}
