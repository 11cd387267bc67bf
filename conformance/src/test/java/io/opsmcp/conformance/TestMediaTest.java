package io.opsmcp.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/** The hand-built fixture media must be files that standard decoders accept, with the promised content. */
class TestMediaTest {

    @Test
    void pngDecodesToOneRedPixel() throws Exception {
        byte[] png = Base64.getDecoder().decode(TestMedia.redPixelPngBase64());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1);
        assertThat(image.getHeight()).isEqualTo(1);
        assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
    }

    @Test
    void wavDecodesToTenMillisecondsOfMono8kHzPcm() throws Exception {
        byte[] wav = Base64.getDecoder().decode(TestMedia.silentWavBase64());
        try (AudioInputStream audio =
                AudioSystem.getAudioInputStream(new BufferedInputStream(new ByteArrayInputStream(wav)))) {
            AudioFormat format = audio.getFormat();
            assertThat(format.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
            assertThat(format.getSampleRate()).isEqualTo(8000f);
            assertThat(format.getChannels()).isEqualTo(1);
            assertThat(format.getSampleSizeInBits()).isEqualTo(16);
            assertThat(audio.getFrameLength()).isEqualTo(80);
            assertThat(audio.readAllBytes()).hasSize(160).containsOnly((byte) 0);
        }
    }
}
