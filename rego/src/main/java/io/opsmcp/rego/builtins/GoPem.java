package io.opsmcp.rego.builtins;

/**
 * PEM block scanning with the rules of Go's {@code encoding/pem.Decode}, which OPA's key and
 * certificate built-ins rely on: junk before {@code -----BEGIN } is skipped, RFC 1421 headers are
 * allowed, the END line must repeat the type, a body that is not valid base64 makes the scanner move
 * on, and what follows the END line (less its line break) is returned as the rest.
 */
final class GoPem {
    private GoPem() {}

    /** One decoded block: its type (e.g. {@code CERTIFICATE}) and DER bytes. */
    record Block(String type, byte[] bytes) {}

    /** A block and the text after it; {@code block} is null when there is no (valid) block. */
    record Decoded(Block block, String rest) {}

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "\n-----END ";
    private static final String DASHES = "-----";

    /** Go's {@code pem.Decode}: the first valid block in {@code data} and the remaining text. */
    static Decoded decode(String data) {
        String rest = data;
        while (true) {
            if (rest.startsWith(BEGIN)) {
                rest = rest.substring(BEGIN.length());
            } else {
                int i = rest.indexOf("\n" + BEGIN);
                if (i < 0) {
                    return new Decoded(null, data);
                }
                rest = rest.substring(i + 1 + BEGIN.length());
            }
            String[] lr = line(rest);
            String typeLine = lr[0];
            rest = lr[1];
            if (!typeLine.endsWith(DASHES)) {
                continue;
            }
            String type = typeLine.substring(0, typeLine.length() - DASHES.length());
            boolean headers = false;
            boolean truncated = false;
            while (true) {
                if (rest.isEmpty()) {
                    truncated = true;
                    break;
                }
                String[] hl = line(rest);
                if (hl[0].indexOf(':') < 0) {
                    break;
                }
                headers = true;
                rest = hl[1];
            }
            if (truncated) {
                return new Decoded(null, data);
            }
            int endIndex;
            int endTrailerIndex;
            if (!headers && rest.startsWith(END.substring(1))) {
                endIndex = 0;
                endTrailerIndex = END.length() - 1;
            } else {
                endIndex = rest.indexOf(END);
                endTrailerIndex = endIndex + END.length();
            }
            if (endIndex < 0) {
                continue;
            }
            String endTrailer = rest.substring(endTrailerIndex);
            int trailerLen = type.length() + DASHES.length();
            if (endTrailer.length() < trailerLen) {
                continue;
            }
            String restOfEndLine = endTrailer.substring(trailerLen);
            endTrailer = endTrailer.substring(0, trailerLen);
            if (!endTrailer.startsWith(type) || !endTrailer.endsWith(DASHES)) {
                continue;
            }
            if (!line(restOfEndLine)[0].isEmpty()) {
                continue;
            }
            String body = rest.substring(0, endIndex).replace(" ", "").replace("\t", "");
            byte[] der;
            try {
                der = GoBase64.decodeStd(body);
            } catch (BuiltinError e) {
                continue;
            }
            String after = line(rest.substring(endIndex + END.length() - 1))[1];
            return new Decoded(new Block(type, der), after);
        }
    }

    /** Go's {@code getLine}: the line without its break and trailing blanks, and what follows it. */
    private static String[] line(String data) {
        int i = data.indexOf('\n');
        int j;
        if (i < 0) {
            i = data.length();
            j = i;
        } else {
            j = i + 1;
            if (i > 0 && data.charAt(i - 1) == '\r') {
                i--;
            }
        }
        int e = i;
        while (e > 0 && (data.charAt(e - 1) == ' ' || data.charAt(e - 1) == '\t')) {
            e--;
        }
        return new String[] {data.substring(0, e), data.substring(j)};
    }
}
