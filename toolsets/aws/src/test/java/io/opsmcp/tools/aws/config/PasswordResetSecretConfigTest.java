package io.opsmcp.tools.aws.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code aws.accounts[].password_reset_secret}: where iam_reset_console_password may deliver a password. */
class PasswordResetSecretConfigTest {

    private static AwsConfig parse(String secret) {
        return AwsConfig.parse(
                AwsConfigTest.tree(AwsConfigTest.account(",\"password_reset_secret\":\"" + secret + "\"")));
    }

    @Test
    void aSecretOfTheAccountWithTheUserPlaceholderIsAccepted() {
        AwsAccount a = parse("arn:aws:secretsmanager:eu-west-1:123456789012:secret:ops/console/{user}")
                .accounts()
                .get(0);
        assertThat(a.passwordResetSecretFor("maria"))
                .isEqualTo("arn:aws:secretsmanager:eu-west-1:123456789012:secret:ops/console/maria");
        assertThat(AwsConfig.parse(AwsConfigTest.tree(AwsConfigTest.account("")))
                        .accounts()
                        .get(0)
                        .passwordResetSecretFor("maria"))
                .isNull();
    }

    @Test
    void theIamToolsAreOffUnlessTurnedOn() {
        assertThat(AwsConfig.parse(AwsConfigTest.tree(AwsConfigTest.account("")))
                        .iamTools())
                .isFalse();
        String on = AwsConfigTest.account("").replace("{\"aws\":{", "{\"aws\":{\"iam_tools\":true,");
        assertThat(AwsConfig.parse(AwsConfigTest.tree(on)).iamTools()).isTrue();
        String bad = AwsConfigTest.account("").replace("{\"aws\":{", "{\"aws\":{\"iam_tools\":\"yes\",");
        assertThatThrownBy(() -> AwsConfig.parse(AwsConfigTest.tree(bad)))
                .hasMessage("aws.iam_tools: must be true or false");
    }

    @Test
    void anythingElseIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> parse("ops/console/{user}"))
                .hasMessageStartingWith("aws.accounts[0].password_reset_secret: must be a Secrets Manager secret ARN");
        assertThatThrownBy(() -> parse("arn:aws:s3:::bucket/{user}"))
                .hasMessageContaining("must be a Secrets Manager secret ARN");
        // a secret in another account would hand the password to whoever controls that account
        assertThatThrownBy(() -> parse("arn:aws:secretsmanager:eu-west-1:999988887777:secret:x/{user}"))
                .hasMessage("aws.accounts[0].password_reset_secret: the secret must be in the account itself"
                        + " (123456789012), not 999988887777");
        assertThatThrownBy(() -> parse("arn:aws:secretsmanager:eu-west-1:123456789012:secret:x/{account}"))
                .hasMessage("aws.accounts[0].password_reset_secret: {user} is the only placeholder");
    }
}
