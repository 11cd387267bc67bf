package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The direct path's {@code Accept} decision (both {@code application/json} and {@code text/event-stream} listed)
 * decides the usual header without Spring's parser and every header exactly as Spring's parser does: a header the
 * shortcut got wrong would either answer a client that did not accept an SSE stream with one, or send a client that
 * did to the slower route.
 */
class DirectPathAcceptTest {

    private static final List<List<String>> HEADERS = List.of(
            List.of("application/json, text/event-stream"),
            List.of("text/event-stream, application/json"),
            List.of("APPLICATION/JSON,TEXT/EVENT-STREAM"),
            List.of(" application/json ,\ttext/event-stream "),
            List.of("application/json", "text/event-stream"),
            List.of("application/json"),
            List.of("text/event-stream"),
            List.of(),
            List.of(""),
            List.of("application/json, text/event-stream,"),
            List.of(",application/json, text/event-stream"),
            List.of("application/json;q=0.9, text/event-stream"),
            List.of("application/json; charset=utf-8, text/event-stream"),
            List.of("*/*"),
            List.of("application/*, text/*"),
            List.of("application/json, text/event-stream, text/html"),
            List.of("application/json, text/event-stream, nonsense"),
            List.of("application/json, text/event-stream, a/b/c"),
            List.of("application/json, text/event-stream;x=\"a,b\""),
            List.of("application/jsonx, text/event-stream"),
            List.of("application/json text/event-stream"));

    @Test
    void decidesEveryHeaderAsSpringsParserDoes() {
        for (List<String> headers : HEADERS) {
            assertThat(PrincipalBoundStreamableTransport.acceptsJsonAndEvents(headers))
                    .as("%s", headers)
                    .isEqualTo(spring(headers));
        }
        assertThat(PrincipalBoundStreamableTransport.acceptsJsonAndEvents(HEADERS.get(0)))
                .isTrue();
    }

    private static boolean spring(List<String> headers) {
        try {
            List<MediaType> accept = MediaType.parseMediaTypes(headers);
            return accept.contains(MediaType.TEXT_EVENT_STREAM) && accept.contains(MediaType.APPLICATION_JSON);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
