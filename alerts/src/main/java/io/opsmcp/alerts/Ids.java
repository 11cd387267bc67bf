package io.opsmcp.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Alert ids and digests. */
final class Ids {

    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Pattern of an alert id. */
    static final String PATTERN = "^alt_[0-9a-z]{26}$";

    private Ids() {}

    /** {@code alt_} and 26 random letters and digits (about 134 bits). */
    static String newAlertId() {
        StringBuilder id = new StringBuilder("alt_");
        for (int i = 0; i < 26; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
