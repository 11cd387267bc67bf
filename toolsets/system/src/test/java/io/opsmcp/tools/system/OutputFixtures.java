package io.opsmcp.tools.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Command outputs under {@code src/test/resources/outputs/}, captured or written to the tools' documented formats. */
public final class OutputFixtures {

    private OutputFixtures() {}

    /** The text of {@code outputs/NAME}. */
    public static String read(String name) throws IOException {
        try (InputStream in = OutputFixtures.class.getResourceAsStream("/outputs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
