package io.opsmcp.tools.aws.config;

/**
 * Where an account's credentials come from ({@code aws.accounts[].credentials}). Never carries a secret in
 * {@link #toString()}.
 */
public sealed interface CredentialsSpec {

    /** The SDK's default chain: environment, system properties, web identity, shared files, container, IMDS. */
    record DefaultChain() implements CredentialsSpec {}

    /** A named profile of the shared config/credentials files. */
    record Profile(String profile) implements CredentialsSpec {}

    /**
     * STS AssumeRole from a source identity (a named profile, or the default chain when {@code sourceProfile}
     * is {@code null}); the SDK refreshes the session before it expires.
     */
    record AssumeRole(String roleArn, String externalId, String sessionName, String sourceProfile)
            implements CredentialsSpec {

        @Override
        public String toString() {
            return "AssumeRole[roleArn=" + roleArn + ", externalId=" + (externalId == null ? "none" : "set")
                    + ", sessionName=" + sessionName + ", sourceProfile=" + sourceProfile + "]";
        }
    }

    /** Fixed keys, accepted only for an account whose endpoint_url is a loopback address (the sandbox). */
    record Static(String accessKeyId, String secretAccessKey) implements CredentialsSpec {

        @Override
        public String toString() {
            return "Static[keys hidden]";
        }
    }
}
