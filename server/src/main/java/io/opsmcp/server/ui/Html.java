package io.opsmcp.server.ui;

import java.util.regex.Pattern;

/**
 * A tiny HTML writer that escapes everything it is given: text and attribute values are escaped for their context
 * (OWASP XSS prevention rules 1 and 2: {@code & < > " '}), attribute values are always double-quoted, and tag and
 * attribute names must be plain lower-case names, so no caller-controlled string can open a tag, close an
 * attribute or start a script. URLs in {@code href}/{@code action} must be relative paths or http(s) (no
 * {@code javascript:}). There is no way to append unescaped text except the document's fixed head.
 */
final class Html {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern SAFE_URL = Pattern.compile("(/[^/\\\\].*|/|https?://.+)", Pattern.DOTALL);

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a document: doctype, {@code <html lang="en">}, head with {@code title} and the stylesheet, body. */
    static Html page(String title) {
        return page(title, null);
    }

    /** As {@link #page(String)}, moving on to the local path {@code refreshTo} at once ({@code <meta refresh>}). */
    static Html page(String title, String refreshTo) {
        Html h = new Html();
        h.out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        if (refreshTo != null) {
            if (!refreshTo.matches("/[a-z/]*")) {
                throw new IllegalArgumentException("refresh: only a fixed local path");
            }
            h.out.append("<meta http-equiv=\"refresh\" content=\"0;url=")
                    .append(refreshTo)
                    .append("\">");
        }
        h.out.append("<title>");
        h.text(title);
        h.out.append("</title><link rel=\"stylesheet\" href=\"/ui/static/ui.css\"></head><body>");
        return h;
    }

    /** Opens {@code tag} with attribute name/value pairs ({@code null} values are left out). */
    Html open(String tag, String... attributes) {
        name(tag);
        out.append('<').append(tag);
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            String attr = name(attributes[i]);
            String value = attributes[i + 1];
            if (value == null) {
                continue;
            }
            if (attr.startsWith("on") || attr.equals("style") || attr.equals("srcdoc")) {
                throw new IllegalArgumentException("attribute " + attr + " is not allowed (no inline script or style)");
            }
            if ((attr.equals("href") || attr.equals("action") || attr.equals("src") || attr.equals("formaction"))
                    && !SAFE_URL.matcher(value).matches()) {
                throw new IllegalArgumentException("attribute " + attr + ": only relative paths and http(s) URLs");
            }
            out.append(' ').append(attr).append("=\"");
            escape(value);
            out.append('"');
        }
        out.append('>');
        return this;
    }

    /** Closes {@code tag}. */
    Html close(String tag) {
        name(tag);
        out.append("</").append(tag).append('>');
        return this;
    }

    /** Escaped text. */
    Html text(String text) {
        if (text != null) {
            escape(text);
        }
        return this;
    }

    /** {@code <tag attrs>text</tag>}. */
    Html element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    /** Ends the document and returns it. */
    String end() {
        out.append("</body></html>\n");
        return out.toString();
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }

    private static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a tag or attribute name: " + name);
        }
        return name;
    }
}
