package io.opsmcp.telemetry;

/** Bounds for text that reaches spans from a client (tool names, request ids): at most 128 characters. */
final class BoundedText {

    static final int MAX = 128;

    private BoundedText() {}

    static String bounded(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= MAX ? text : text.substring(0, MAX) + "…";
    }
}
