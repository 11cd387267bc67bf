package io.opsmcp.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The smallest well-formed media the conformance fixtures return, built at start-up rather than pasted in
 * as opaque base64: a 1x1 red PNG and a 10 ms silent mono 8 kHz 16-bit PCM WAV (RIFF/WAVE layout as in
 * Microsoft's "Multimedia Programming Interface and Data Specifications 1.0").
 */
final class TestMedia {

    static final String PNG_MIME = "image/png";
    static final String WAV_MIME = "audio/wav";

    private TestMedia() {}

    /**
     * Base64 of a 1x1 PNG whose only pixel is opaque red: signature, IHDR (8-bit RGB), one zlib-compressed
     * IDAT scanline (filter byte 0 + R,G,B) and IEND, each chunk with its CRC-32 (PNG spec, ISO/IEC 15948).
     */
    static String redPixelPngBase64() {
        ByteBuffer ihdr = ByteBuffer.allocate(13)
                .putInt(1)
                .putInt(1)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", deflate(new byte[] {0, (byte) 0xFF, 0, 0}));
        chunk(png, "IEND", new byte[0]);
        return Base64.getEncoder().encodeToString(png.toByteArray());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] buf = new byte[64];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** Base64 of a WAV file holding 10 ms of silence (80 samples, mono, 8000 Hz, 16 bit). */
    static String silentWavBase64() {
        int sampleRate = 8000;
        short channels = 1;
        short bitsPerSample = 16;
        int samples = sampleRate / 100;
        int dataBytes = samples * channels * bitsPerSample / 8;
        ByteBuffer wav = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII))
                .putInt(36 + dataBytes)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) 1) // PCM
                .putShort(channels)
                .putInt(sampleRate)
                .putInt(sampleRate * channels * bitsPerSample / 8) // byte rate
                .putShort((short) (channels * bitsPerSample / 8)) // block align
                .putShort(bitsPerSample)
                .put("data".getBytes(StandardCharsets.US_ASCII))
                .putInt(dataBytes);
        return Base64.getEncoder().encodeToString(wav.array());
    }
}
