package io.opsmcp.tools.aws;

import static io.opsmcp.core.redact.RedactionRule.UPPER_DIGITS;

import io.opsmcp.core.redact.RedactionRule;
import java.util.List;

/**
 * AWS credential formats the server's redactor removes: access key ids by their documented prefixes (AWS IAM
 * "Unique identifiers": {@code AKIA} long-term, {@code ASIA} temporary, …) and the session token header.
 * Secret access keys have no prefix; they are caught by their names ({@code aws_secret_access_key=…}).
 */
public final class AwsRedaction {

    /** The rules, contributed through {@link AwsToolsetProvider#redactionRules()}. */
    public static final List<RedactionRule> RULES = List.of(
            RedactionRule.token("AKIA", 16, UPPER_DIGITS),
            RedactionRule.token("ASIA", 16, UPPER_DIGITS),
            RedactionRule.token("AGPA", 16, UPPER_DIGITS),
            RedactionRule.token("AIDA", 16, UPPER_DIGITS),
            RedactionRule.token("AROA", 16, UPPER_DIGITS),
            RedactionRule.token("ANPA", 16, UPPER_DIGITS),
            RedactionRule.token("ANVA", 16, UPPER_DIGITS),
            RedactionRule.token("AIPA", 16, UPPER_DIGITS),
            RedactionRule.token("ABIA", 16, UPPER_DIGITS),
            RedactionRule.token("ACCA", 16, UPPER_DIGITS),
            RedactionRule.token("A3T", 17, UPPER_DIGITS),
            RedactionRule.header("x-amz-security-token"));

    private AwsRedaction() {}
}
