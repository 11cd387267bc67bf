package io.opsmcp.tools.aws.iam;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Generates console passwords: {@value #LENGTH} characters from a {@link SecureRandom}, at least one of each class
 * an IAM account password policy can require (upper case, lower case, digit, and a symbol from the set IAM
 * accepts: IAM User Guide, "Setting an account password policy for IAM users"), shuffled.
 */
final class ConsolePasswords {

    static final int LENGTH = 32;
    static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    static final String DIGITS = "23456789";
    static final String SYMBOLS = "!@#$%^&*()_+-=[]{}|";

    private final SecureRandom random;

    ConsolePasswords(SecureRandom random) {
        this.random = random;
    }

    String next() {
        String all = UPPER + LOWER + DIGITS + SYMBOLS;
        List<Character> chars = new ArrayList<>(LENGTH);
        for (String cls : List.of(UPPER, LOWER, DIGITS, SYMBOLS)) {
            chars.add(cls.charAt(random.nextInt(cls.length())));
        }
        while (chars.size() < LENGTH) {
            chars.add(all.charAt(random.nextInt(all.length())));
        }
        Collections.shuffle(chars, random);
        StringBuilder sb = new StringBuilder(LENGTH);
        chars.forEach(sb::append);
        return sb.toString();
    }
}
