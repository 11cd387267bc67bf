package io.opsmcp.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a generic webhook delivery, in the style of Stripe's and Slack's request signing: the receiver
 * recomputes {@code HMAC-SHA256(secret, timestamp + "." + body)} over the raw body bytes, compares it in constant
 * time with the hex value after {@code v1=} in {@value #SIGNATURE_HEADER}, and rejects a
 * {@value #TIMESTAMP_HEADER} (Unix seconds) more than a few minutes from its clock (replays). Each retry is signed
 * afresh with its own timestamp; {@value #DELIVERY_HEADER} stays the same, so a receiver can drop duplicates.
 */
public final class WebhookSignature {

    /** Unix time in seconds when the attempt was signed. */
    public static final String TIMESTAMP_HEADER = "X-OpsMcp-Timestamp";
    /** {@code v1=<hex HMAC-SHA256>}. */
    public static final String SIGNATURE_HEADER = "X-OpsMcp-Signature";
    /** The delivery's id, the same on every attempt. */
    public static final String DELIVERY_HEADER = "X-OpsMcp-Delivery";
    /** The event type, e.g. {@code approval.requested}. */
    public static final String EVENT_HEADER = "X-OpsMcp-Event";

    private WebhookSignature() {}

    /** {@code v1=} and the hex HMAC-SHA256 of {@code timestamp + "." + body} under {@code secret}. */
    public static String sign(byte[] secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** What a receiver does: whether {@code signature} is the signature of {@code timestamp} and {@code body}. */
    public static boolean verify(byte[] secret, long timestamp, byte[] body, String signature) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(
                sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
