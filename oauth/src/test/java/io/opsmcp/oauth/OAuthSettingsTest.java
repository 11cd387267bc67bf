package io.opsmcp.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The {@code oauth:} section: defaults, and every rule failing with the field's name. */
class OAuthSettingsTest {

    private static final String BASE =
            "oauth:\n  issuer: https://idp.example.com/realms/ops\n" + "  resource: https://ops.example.com/mcp\n";

    private static JsonNode yaml(String text) {
        return YAMLMapper.builder().build().readTree(text);
    }

    private static OAuthSettings settings(String extra) {
        return OAuthSettings.fromConfig(yaml(BASE + extra)).orElseThrow();
    }

    private static void rejected(String yaml, String message) {
        assertThatThrownBy(() -> OAuthSettings.fromConfig(yaml(yaml)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void absentSectionMeansOAuthIsOff() {
        assertThat(OAuthSettings.fromConfig(yaml("transport: http\n"))).isEmpty();
        assertThat(OAuthSettings.fromConfig(yaml("oauth: null\n"))).isEmpty();
    }

    @Test
    void defaultsAreAsymmetricAlgorithmsSixtySecondsSkewSubAndTheResourceAsAudience() {
        OAuthSettings s = settings("");
        assertThat(s.audience()).isEqualTo("https://ops.example.com/mcp");
        assertThat(s.algorithms())
                .contains(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256)
                .noneMatch(a -> a.getName().startsWith("HS"))
                .noneMatch(a -> a.getName().equals("none"));
        assertThat(s.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.principalClaim()).isEqualTo("sub");
        assertThat(s.rolesClaim()).isEmpty();
        assertThat(s.jwksUri()).isEmpty();
        assertThat(s.maxTokenBytes()).isEqualTo(8192);
        assertThat(s.jwks()).isEqualTo(OAuthSettings.Jwks.DEFAULTS);
        assertThat(s.resourceMetadataUrl())
                .isEqualTo("https://ops.example.com/.well-known/oauth-protected-resource/mcp");
    }

    @Test
    void readsEverySetting() {
        OAuthSettings s = settings("  jwks_uri: https://idp.example.com/keys\n"
                + "  audience: api://ops-mcp\n"
                + "  algorithms: [ES256, rs256]\n"
                + "  clock_skew: 30s\n"
                + "  required_scopes: [ops.read, ops.write]\n"
                + "  principal_claim: preferred_username\n"
                + "  roles_claim: realm_access.roles\n"
                + "  groups_claim: grp\n"
                + "  group_roles: {oncall: sre, leads: [sre-lead, sre]}\n"
                + "  require_at_jwt: true\n"
                + "  max_token_bytes: 4096\n"
                + "  jwks: {cache_ttl: 10m, refresh_min_interval: 5s, timeout: 2s, max_bytes: 2048}\n");
        assertThat(s.jwksUri()).hasValueSatisfying(u -> assertThat(u).hasToString("https://idp.example.com/keys"));
        assertThat(s.audience()).isEqualTo("api://ops-mcp");
        assertThat(s.algorithms()).containsExactlyInAnyOrder(JWSAlgorithm.ES256, JWSAlgorithm.RS256);
        assertThat(s.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.requiredScopes()).containsExactly("ops.read", "ops.write");
        assertThat(s.scopesSupported()).containsExactly("ops.read", "ops.write");
        assertThat(s.rolesClaim()).hasValue("realm_access.roles");
        assertThat(s.groupRoles())
                .containsEntry("oncall", Set.of("sre"))
                .containsEntry("leads", Set.of("sre-lead", "sre"));
        assertThat(s.requireAtJwt()).isTrue();
        assertThat(s.jwks())
                .isEqualTo(new OAuthSettings.Jwks(
                        Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(2), 2048));
    }

    @Test
    void issuerAndResourceMustBeHttpsOrLoopbackHttp() {
        rejected("oauth: {resource: https://ops.example.com/mcp}\n", "oauth.issuer: is required");
        rejected("oauth: {issuer: https://idp.example.com}\n", "oauth.resource: is required");
        rejected(
                "oauth: {issuer: http://idp.example.com, resource: https://ops.example.com/mcp}\n",
                "oauth.issuer: must be an https URL (http only for a loopback host)");
        // a DNS name that merely starts like a loopback address is not one
        rejected(
                "oauth: {issuer: http://127.0.0.1.evil.example, resource: https://ops.example.com/mcp}\n",
                "oauth.issuer: must be an https URL");
        rejected(
                "oauth: {issuer: https://idp.example.com, resource: 'https://ops.example.com/mcp#x'}\n",
                "oauth.resource: must not have a query or a fragment");
        rejected(
                "oauth: {issuer: https://idp.example.com, resource: ops.example.com}\n",
                "oauth.resource: must be an absolute https URL");
        rejected(BASE + "  jwks_uri: http://idp.example.com/keys\n", "oauth.jwks_uri: must be an https URL");
        assertThat(OAuthSettings.fromConfig(
                                yaml(
                                        "oauth: {issuer: 'http://localhost:9000/ops', resource: 'http://127.0.0.1:8080/mcp'}\n"))
                        .orElseThrow()
                        .issuer())
                .isEqualTo("http://localhost:9000/ops");
    }

    @Test
    void algorithmsNeverIncludeNoneOrSharedSecretOnes() {
        rejected(BASE + "  algorithms: [RS256, none]\n", "oauth.algorithms: none is never accepted");
        rejected(BASE + "  algorithms: [HS256]\n", "oauth.algorithms: HS256 needs a secret shared");
        rejected(BASE + "  algorithms: [RS1]\n", "oauth.algorithms: unknown algorithm 'RS1'; valid: RS256");
        rejected(BASE + "  algorithms: []\n", "oauth.algorithms: must name at least one of");
    }

    @Test
    void durationsUseTheProjectGrammarAndAreBounded() {
        rejected(BASE + "  clock_skew: 60\n", "oauth.clock_skew: must be a duration like 90s");
        rejected(BASE + "  clock_skew: 10m\n", "oauth.clock_skew: must be at most 5m");
        rejected(BASE + "  jwks: {cache_ttl: 10s}\n", "oauth.jwks.cache_ttl: must be 1m..24h");
        rejected(BASE + "  jwks: {refresh_min_interval: 10m}\n", "oauth.jwks.refresh_min_interval: must be 1s..");
        rejected(BASE + "  jwks: {timeout: 2m}\n", "oauth.jwks.timeout: must be 1s..30s");
        rejected(BASE + "  jwks: {max_bytes: 10}\n", "oauth.jwks.max_bytes: must be 1024..1048576");
        rejected(BASE + "  max_token_bytes: 100\n", "oauth.max_token_bytes: must be 512..65536");
    }

    @Test
    void unknownKeysAndBadShapesAreNamed() {
        rejected(BASE + "  audiance: x\n", "oauth.audiance: unknown setting; valid: algorithms, audience");
        rejected(BASE + "  jwks: {ttl: 5m}\n", "oauth.jwks.ttl: unknown setting");
        rejected(BASE + "  required_scopes: ['a b']\n", "oauth.required_scopes: 'a b' is not a scope token");
        rejected(BASE + "  group_roles: {oncall: {role: sre}}\n", "oauth.group_roles.oncall: must be a role or a list");
        rejected(BASE + "  group_roles: {oncall: []}\n", "oauth.group_roles.oncall: must map the group");
        rejected(BASE + "  principal_claim: 'has space'\n", "oauth.principal_claim: must be a claim name");
        rejected("oauth: [x]\n", "oauth: must be a mapping");
    }

    @Test
    void metadataIsServedAtTheRootAndTheResourcePath() {
        ProtectedResourceMetadata prm = new ProtectedResourceMetadata(settings("  required_scopes: [ops]\n"));
        assertThat(prm.paths("/mcp"))
                .containsExactly("/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp");
        assertThat(prm.document())
                .containsEntry("resource", "https://ops.example.com/mcp")
                .containsEntry("authorization_servers", List.of("https://idp.example.com/realms/ops"))
                .containsEntry("scopes_supported", List.of("ops"))
                .containsEntry("bearer_methods_supported", List.of("header"));
    }

    @Test
    void theCommentedExampleInTheSampleConfigurationIsValid() throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "examples", "ops-mcp.yaml"));
        StringBuilder section = new StringBuilder();
        boolean in = false;
        for (String line : lines) {
            if (line.startsWith("# oauth:")) {
                in = true;
            } else if (in && !line.startsWith("#  ")) {
                break;
            }
            if (in) {
                section.append(line.substring(2)).append('\n');
            }
        }
        OAuthSettings example =
                OAuthSettings.fromConfig(yaml(section.toString())).orElseThrow();
        assertThat(example.issuer()).isEqualTo("https://idp.example.com/realms/ops");
        assertThat(example.jwks()).isEqualTo(OAuthSettings.Jwks.DEFAULTS);
        assertThat(example.algorithms()).containsExactlyInAnyOrderElementsOf(OAuthSettings.ASYMMETRIC);
    }
}
