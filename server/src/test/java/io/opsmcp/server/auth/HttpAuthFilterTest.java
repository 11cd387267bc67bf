package io.opsmcp.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The parts of {@link HttpAuthFilter} that need no server (the rest: {@code OAuthBearerTokensTest}, {@code HttpAuthTest}). */
class HttpAuthFilterTest {

    @Test
    void anAccessTokenParameterIsFoundInAnySpellingOfTheQuery() {
        assertThat(HttpAuthFilter.tokenInQuery("access_token=abc")).isTrue();
        assertThat(HttpAuthFilter.tokenInQuery("sessionId=1&access_token=abc")).isTrue();
        assertThat(HttpAuthFilter.tokenInQuery("access%5Ftoken=abc"))
                .as("percent-encoded name")
                .isTrue();
        assertThat(HttpAuthFilter.tokenInQuery("ACCESS_TOKEN=abc")).isTrue();
        assertThat(HttpAuthFilter.tokenInQuery("access_token"))
                .as("without a value")
                .isTrue();
        assertThat(HttpAuthFilter.tokenInQuery("%zz=1&access_token=x"))
                .as("after a malformed escape")
                .isTrue();
        assertThat(HttpAuthFilter.tokenInQuery(null)).isFalse();
        assertThat(HttpAuthFilter.tokenInQuery("sessionId=1&status=all")).isFalse();
        assertThat(HttpAuthFilter.tokenInQuery("x=access_token"))
                .as("only as a value")
                .isFalse();
    }

    @Test
    void theBearerCredentialIsTheValueAfterTheScheme() {
        assertThat(ApiKeys.bearer("Bearer abc.def.ghi")).hasValue("abc.def.ghi");
        assertThat(ApiKeys.bearer("bearer   key ")).hasValue("key");
        assertThat(ApiKeys.bearer("Basic dXNlcjpwdw==")).isEmpty();
        assertThat(ApiKeys.bearer("Bearer a b")).isEmpty();
        assertThat(ApiKeys.bearer(null)).isEmpty();
    }
}
