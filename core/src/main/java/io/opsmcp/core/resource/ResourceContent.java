package io.opsmcp.core.resource;

import java.util.Objects;

/**
 * What reading a resource returns: text with its MIME type ({@code text/markdown}, {@code application/json}).
 *
 * @param uri      the URI that was read
 * @param mimeType MIME type of the text
 * @param text     the content
 */
public record ResourceContent(String uri, String mimeType, String text) {
    public ResourceContent {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(text, "text");
    }
}
