package dev.handoff.chat.service;

import dev.handoff.chat.rest.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/acme/app.git", "ssh://git@github.com/acme/app.git",
        "git@github.com:acme/app.git", "http://git.local/app"})
    void acceptsGitUrls(String url) {
        assertThat(Validation.requireRepositoryUrl("repositoryUrl", url, false)).isEqualTo(url);
    }

    @Test
    void acceptsFileUrlsOnlyWhenAllowed() {
        assertThat(Validation.requireRepositoryUrl("repositoryUrl", "file:///srv/git/app.git", true))
            .isEqualTo("file:///srv/git/app.git");
        assertThatThrownBy(() -> Validation.requireRepositoryUrl("repositoryUrl", "file:///srv/git/app.git", false))
            .isInstanceOf(ApiException.class).hasMessageContaining("file://");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "ftp://example.com/app.git", "https://", "app.git",
        "https://user:ghp_secret@github.com/acme/app.git", "https://ghp_secret@github.com/acme/app.git",
        "http://x-access-token@git.local/app"})
    void refusesOtherUrlsNamingTheField(String url) {
        assertThatThrownBy(() -> Validation.requireRepositoryUrl("repositoryUrl", url, true))
            .isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.field()).isEqualTo("repositoryUrl");
            });
    }

    @Test
    void refusesEmptyAndOverlongText() {
        assertThatThrownBy(() -> Validation.requireText("description", "   ", 10))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("description"));
        assertThatThrownBy(() -> Validation.requireText("description", null, 10)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Validation.requireText("description", "x".repeat(11), 10))
            .hasMessageContaining("longer than 10");
        assertThat(Validation.requireText("description", "  fix it  ", 10)).isEqualTo("fix it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-x", "a..b", "has space", ""})
    void refusesBadBranchNames(String branch) {
        assertThatThrownBy(() -> Validation.requireBranch("defaultBranch", branch)).isInstanceOf(ApiException.class);
    }

    @Test
    void acceptsBranchNames() {
        assertThat(Validation.requireBranch("defaultBranch", "feature/login-timeout")).isEqualTo("feature/login-timeout");
    }

    @Test
    void aPermissionPolicyMustBeAllowOrAskNamingTheField() {
        assertThat(Validation.requireOneOf("permissionPolicy", "ask", Set.of("allow", "ask"))).isEqualTo("ask");
        assertThatThrownBy(() -> Validation.requireOneOf("permissionPolicy", "sometimes", Set.of("allow", "ask")))
            .isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.field()).isEqualTo("permissionPolicy");
                assertThat(e.getMessage()).contains("[allow, ask]").contains("sometimes");
            });
    }
}
