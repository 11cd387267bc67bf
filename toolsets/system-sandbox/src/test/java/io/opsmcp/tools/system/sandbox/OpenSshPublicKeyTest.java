package io.opsmcp.tools.system.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;

/** The hand-written OpenSSH line of the sandbox's host key is exactly what Apache SSHD's encoder writes. */
class OpenSshPublicKeyTest {

    @Test
    void matchesSshdOnManyKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        // Many keys, so that coordinates with a leading zero byte or a high bit (sign byte) occur.
        for (int i = 0; i < 300; i++) {
            ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
            assertThat(OpenSshPublicKey.line(key)).isEqualTo(PublicKeyEntry.toString(key));
        }
    }
}
