package io.opsmcp.tools.aws.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The server side of AWS's query protocol (ELBv2, EC2, STS, CloudFormation: form-encoded requests, XML answers),
 * shared by the sandbox account and the tests' scenario stub so that both speak it the same way.
 */
public final class AwsQueryProtocol {

    private AwsQueryProtocol() {}

    /** The form parameters of a request body ({@code Action=…&Names.member.1=…}), in order; empty for no body. */
    public static Map<String, List<String>> form(String body) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /** The values of a list parameter: every key starting with {@code prefix} (e.g. {@code Names.member.}). */
    public static List<String> listParam(Map<String, List<String>> form, String prefix) {
        List<String> out = new ArrayList<>();
        form.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.addAll(v);
            }
        });
        return out;
    }

    /** The XML error document of the query protocol ({@code ErrorResponse/Error/Code}, as the SDK parses it). */
    public static String errorXml(String code, String message) {
        return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + escape(message)
                + "</Message></Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>";
    }

    /** Text escaped for an XML element. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
