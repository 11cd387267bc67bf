package io.opsmcp.rego.builtins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GraphQL lexer and parser that reproduces, token for token, the one OPA embeds (its fork of
 * github.com/vektah/gqlparser v2: {@code internal/gqlparser/lexer} and {@code parser}): the same accepted language,
 * the same error texts and positions ({@code Expected Name, found <EOF>} at line:column in runes), and the AST as
 * gqlparser's structs marshal to JSON (field names, {@code Kind} numbers for values, empty strings and
 * {@code false} kept, {@code Position} left out). Nodes are {@code LinkedHashMap<String, Object>} whose values are
 * String, Boolean, Integer, List, Map or null; {@link GraphqlBuiltins} prunes nulls and empty collections as OPA
 * does.
 *
 * <p>The parser recurses over nested selections, values and list types; a document nested more than
 * {@value #MAX_DEPTH} levels deep is rejected with a parse error instead of exhausting the stack.
 */
final class GqlParser {
    static final int MAX_DEPTH = 200;

    /** A syntax error at a 1-based line and column, with gqlparser's message. */
    static final class GqlSyntaxError extends RuntimeException {
        final String msg;
        final int line;
        final int column;

        GqlSyntaxError(String msg, int line, int column) {
            super(msg + " at " + line + ":" + column, null, false, false);
            this.msg = msg;
            this.line = line;
            this.column = column;
        }
    }

    enum Kind {
        INVALID("<Invalid>"),
        EOF("<EOF>"),
        BANG("!"),
        DOLLAR("$"),
        AMP("&"),
        PAREN_L("("),
        PAREN_R(")"),
        SPREAD("..."),
        COLON(":"),
        EQUALS("="),
        AT("@"),
        BRACKET_L("["),
        BRACKET_R("]"),
        BRACE_L("{"),
        BRACE_R("}"),
        PIPE("|"),
        NAME("Name"),
        INT("Int"),
        FLOAT("Float"),
        STRING("String"),
        BLOCK_STRING("BlockString");

        final String text;

        Kind(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    record Token(Kind kind, String value, int line, int column, GqlSyntaxError error) {
        @Override
        public String toString() {
            return value.isEmpty() ? kind.text : kind.text + " " + GoQuote.quote(value);
        }
    }

    // ---------------------------------------------------------------- lexer

    private static final class Lexer {
        private final int[] in;
        private int start;
        private int end;
        private int line = 1;
        private int lineStart;

        Lexer(String input) {
            this.in = input.codePoints().toArray();
        }

        private Token token(Kind kind, String value) {
            return new Token(kind, value, line, start - lineStart + 1, null);
        }

        private Token text(Kind kind) {
            return token(kind, new String(in, start, end - start));
        }

        private Token error(String msg) {
            int column = end - lineStart + 1;
            return new Token(Kind.INVALID, "", line, column, new GqlSyntaxError(msg, line, column));
        }

        Token read() {
            while (true) {
                ws();
                start = end;
                if (end >= in.length) {
                    return text(Kind.EOF);
                }
                int r = in[start];
                end++;
                switch (r) {
                    case '!':
                        return token(Kind.BANG, "");
                    case '$':
                        return token(Kind.DOLLAR, "");
                    case '&':
                        return token(Kind.AMP, "");
                    case '(':
                        return token(Kind.PAREN_L, "");
                    case ')':
                        return token(Kind.PAREN_R, "");
                    case '.':
                        if (in.length > start + 2 && in[start + 1] == '.' && in[start + 2] == '.') {
                            end += 2;
                            return token(Kind.SPREAD, "");
                        }
                        break;
                    case ':':
                        return token(Kind.COLON, "");
                    case '=':
                        return token(Kind.EQUALS, "");
                    case '@':
                        return token(Kind.AT, "");
                    case '[':
                        return token(Kind.BRACKET_L, "");
                    case ']':
                        return token(Kind.BRACKET_R, "");
                    case '{':
                        return token(Kind.BRACE_L, "");
                    case '}':
                        return token(Kind.BRACE_R, "");
                    case '|':
                        return token(Kind.PIPE, "");
                    case '#':
                        while (end < in.length && (in[end] > 0x1f || in[end] == '\t')) {
                            end++;
                        }
                        continue;
                    case '"':
                        if (in.length > start + 2 && in[start + 1] == '"' && in[start + 2] == '"') {
                            return blockString();
                        }
                        return string();
                    default:
                        if (r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
                            return name();
                        }
                        if (r == '-' || (r >= '0' && r <= '9')) {
                            return number();
                        }
                        break;
                }
                end--;
                if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
                    return error(String.format("Cannot contain the invalid character \"\\u%04d\"", r));
                }
                if (r == '\'') {
                    return error("Unexpected single quote character ('), did you mean to use a double quote (\")?");
                }
                return error("Cannot parse the unexpected character \"" + firstByte(r) + "\".");
            }
        }

        /** Go indexes the input by bytes here: a non-ASCII character shows as its first UTF-8 byte's Latin-1 rune. */
        private static String firstByte(int cp) {
            if (cp < 0x80) {
                return Character.toString(cp);
            }
            byte b = Character.toString(cp).getBytes(java.nio.charset.StandardCharsets.UTF_8)[0];
            return Character.toString(b & 0xff);
        }

        private void ws() {
            while (end < in.length) {
                int c = in[end];
                if (c == '\t' || c == ' ' || c == ',' || c == 0xFEFF) {
                    end++;
                } else if (c == '\n') {
                    end++;
                    line++;
                    lineStart = end;
                } else if (c == '\r') {
                    end++;
                    line++;
                    lineStart = end;
                    if (end < in.length && in[end] == '\n') {
                        end++;
                    }
                } else {
                    return;
                }
            }
        }

        private Token name() {
            while (end < in.length) {
                int r = in[end];
                if ((r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || r == '_') {
                    end++;
                } else {
                    break;
                }
            }
            return text(Kind.NAME);
        }

        private boolean accept(int... chars) {
            if (end >= in.length) {
                return false;
            }
            for (int c : chars) {
                if (in[end] == c) {
                    end++;
                    return true;
                }
            }
            return false;
        }

        private int digits() {
            int n = 0;
            while (end < in.length && in[end] >= '0' && in[end] <= '9') {
                end++;
                n++;
            }
            return n;
        }

        private String describeNext() {
            return end < in.length ? "\"" + firstByte(in[end]) + "\"" : "<EOF>";
        }

        private Token number() {
            boolean isFloat = false;
            end--;
            accept('-');
            if (accept('0')) {
                int consumed = digits();
                if (consumed != 0) {
                    end -= consumed;
                    return error("Invalid number, unexpected digit after 0: " + describeNext() + ".");
                }
            } else if (digits() == 0) {
                return error("Invalid number, expected digit but got: " + describeNext() + ".");
            }
            if (accept('.')) {
                isFloat = true;
                if (digits() == 0) {
                    return error("Invalid number, expected digit but got: " + describeNext() + ".");
                }
            }
            if (accept('e', 'E')) {
                isFloat = true;
                accept('-', '+');
                if (digits() == 0) {
                    return error("Invalid number, expected digit but got: " + describeNext() + ".");
                }
            }
            return text(isFloat ? Kind.FLOAT : Kind.INT);
        }

        private Token string() {
            StringBuilder buf = null;
            start++;
            while (end < in.length) {
                int r = in[end];
                if (r == '\n' || r == '\r') {
                    break;
                }
                if (r < 0x20 && r != '\t') {
                    return error(String.format("Invalid character within String: \"\\u%04d\".", r));
                }
                if (r == '"') {
                    Token t = buf == null ? text(Kind.STRING) : token(Kind.STRING, buf.toString());
                    end++;
                    return t;
                }
                if (r != '\\') {
                    end++;
                    if (buf != null) {
                        buf.appendCodePoint(r);
                    }
                    continue;
                }
                if (end + 1 >= in.length) {
                    end++;
                    return error("Invalid character escape sequence.");
                }
                if (buf == null) {
                    buf = new StringBuilder(new String(in, start, end - start));
                }
                int escape = in[end + 1];
                if (escape == 'u') {
                    if (end + 6 >= in.length) {
                        end++;
                        return error(
                                "Invalid character escape sequence: \\" + new String(in, end, in.length - end) + ".");
                    }
                    int v = unhex(end + 2);
                    if (v < 0) {
                        end++;
                        return error("Invalid character escape sequence: \\" + new String(in, end, 5) + ".");
                    }
                    buf.appendCodePoint(v >= 0xD800 && v <= 0xDFFF ? 0xFFFD : v);
                    end += 6;
                } else {
                    switch (escape) {
                        case '"', '/', '\\' -> buf.appendCodePoint(escape);
                        case 'b' -> buf.append('\b');
                        case 'f' -> buf.append('\f');
                        case 'n' -> buf.append('\n');
                        case 'r' -> buf.append('\r');
                        case 't' -> buf.append('\t');
                        default -> {
                            end++;
                            return error("Invalid character escape sequence: \\" + Character.toString(escape) + ".");
                        }
                    }
                    end += 2;
                }
            }
            return error("Unterminated string.");
        }

        private int unhex(int from) {
            int v = 0;
            for (int i = from; i < from + 4; i++) {
                int d = Character.digit(in[i], 16);
                if (d < 0 || in[i] > 'f') {
                    return -1;
                }
                v = v << 4 | d;
            }
            return v;
        }

        private Token blockString() {
            StringBuilder buf = new StringBuilder();
            start += 3;
            end += 2;
            while (end < in.length) {
                int r = in[end];
                if (r == '"' && end + 3 <= in.length && in[end + 1] == '"' && in[end + 2] == '"') {
                    Token t = token(Kind.BLOCK_STRING, blockStringValue(buf.toString()));
                    end += 3;
                    return t;
                }
                if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
                    return error(String.format("Invalid character within String: \"\\u%04d\".", r));
                }
                if (r == '\\'
                        && end + 4 <= in.length
                        && in[end + 1] == '"'
                        && in[end + 2] == '"'
                        && in[end + 3] == '"') {
                    buf.append("\"\"\"");
                    end += 4;
                } else if (r == '\r') {
                    if (end + 1 < in.length && in[end + 1] == '\n') {
                        end++;
                    }
                    buf.append('\n');
                    end++;
                    line++;
                    lineStart = end;
                } else {
                    buf.appendCodePoint(r);
                    end++;
                    if (r == '\n') {
                        line++;
                        lineStart = end;
                    }
                }
            }
            return error("Unterminated string.");
        }
    }

    /** The BlockStringValue algorithm as gqlparser implements it (the common indent also counts the first line). */
    static String blockStringValue(String raw) {
        String[] lines = raw.split("\n", -1);
        int common = Integer.MAX_VALUE;
        for (String line : lines) {
            int indent = leadingWhitespace(line);
            if (indent < line.length() && indent < common) {
                common = indent;
                if (common == 0) {
                    break;
                }
            }
        }
        if (common != Integer.MAX_VALUE) {
            for (int i = 1; i < lines.length; i++) {
                lines[i] = lines[i].length() < common ? "" : lines[i].substring(common);
            }
        }
        int from = 0;
        int to = lines.length;
        while (from < to && leadingWhitespace(lines[from]) == Integer.MAX_VALUE) {
            from++;
        }
        while (from < to && leadingWhitespace(lines[to - 1]) == Integer.MAX_VALUE) {
            to--;
        }
        return String.join("\n", java.util.Arrays.asList(lines).subList(from, to));
    }

    private static int leadingWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    // ---------------------------------------------------------------- parser

    private final Lexer lexer;
    private GqlSyntaxError err;
    private boolean peeked;
    private Token peekToken;
    private Token prev = new Token(Kind.INVALID, "", 0, 0, null);
    private int depth;

    private GqlParser(String input) {
        this.lexer = new Lexer(input);
    }

    /** Parses an executable document. @throws GqlSyntaxError on the first syntax error */
    static Map<String, Object> parseQuery(String input) {
        GqlParser p = new GqlParser(input);
        Map<String, Object> doc = p.queryDocument();
        if (p.err != null) {
            throw p.err;
        }
        return doc;
    }

    /** Parses a type-system document. @throws GqlSyntaxError on the first syntax error */
    static Map<String, Object> parseSchema(String input) {
        GqlParser p = new GqlParser(input);
        Map<String, Object> doc = p.schemaDocument();
        if (p.err != null) {
            throw p.err;
        }
        return doc;
    }

    private Token peek() {
        if (err != null) {
            return prev;
        }
        if (!peeked) {
            peekToken = lexer.read();
            peeked = true;
        }
        return peekToken;
    }

    private Token next() {
        if (err != null) {
            return prev;
        }
        if (peeked) {
            peeked = false;
            prev = peekToken;
        } else {
            prev = lexer.read();
        }
        err = prev.error();
        return prev;
    }

    private void error(Token tok, String msg) {
        if (err == null) {
            err = new GqlSyntaxError(msg, tok.line(), tok.column());
        }
    }

    private Token expectKeyword(String value) {
        Token tok = peek();
        if (tok.kind() == Kind.NAME && tok.value().equals(value)) {
            return next();
        }
        error(tok, "Expected " + GoQuote.quote(value) + ", found " + tok);
        return tok;
    }

    private Token expect(Kind kind) {
        Token tok = peek();
        if (tok.kind() == kind) {
            return next();
        }
        error(tok, "Expected " + kind + ", found " + tok.kind());
        return tok;
    }

    private boolean skip(Kind kind) {
        if (err != null) {
            return false;
        }
        if (peek().kind() != kind) {
            return false;
        }
        next();
        return true;
    }

    private void unexpected() {
        unexpected(peek());
    }

    private void unexpected(Token tok) {
        error(tok, "Unexpected " + tok);
    }

    private void many(Kind start, Kind end, Runnable cb) {
        if (!skip(start)) {
            return;
        }
        while (peek().kind() != end && err == null) {
            cb.run();
        }
        next();
    }

    private void some(Kind start, Kind end, Runnable cb) {
        if (!skip(start)) {
            return;
        }
        boolean called = false;
        while (peek().kind() != end && err == null) {
            called = true;
            cb.run();
        }
        if (!called) {
            error(peek(), "expected at least one definition, found " + peek().kind());
            return;
        }
        next();
    }

    /** Guards the recursive productions; past the limit the document is rejected as a syntax error. */
    private boolean enter() {
        if (++depth > MAX_DEPTH) {
            error(peek(), "Document nested deeper than " + MAX_DEPTH + " levels");
            return false;
        }
        return true;
    }

    private static Map<String, Object> node() {
        return new LinkedHashMap<>();
    }

    private String name() {
        return expect(Kind.NAME).value();
    }

    // ---- executable documents (gqlparser parser/query.go)

    private Map<String, Object> queryDocument() {
        List<Object> operations = new ArrayList<>();
        List<Object> fragments = new ArrayList<>();
        Map<String, Object> doc = node();
        doc.put("Operations", operations);
        doc.put("Fragments", fragments);
        while (peek().kind() != Kind.EOF) {
            if (err != null) {
                return doc;
            }
            Token t = peek();
            if (t.kind() == Kind.NAME) {
                switch (t.value()) {
                    case "query", "mutation", "subscription" -> operations.add(operationDefinition());
                    case "fragment" -> fragments.add(fragmentDefinition());
                    default -> unexpected();
                }
            } else if (t.kind() == Kind.BRACE_L) {
                operations.add(operationDefinition());
            } else {
                unexpected();
            }
        }
        return doc;
    }

    private Map<String, Object> operationDefinition() {
        Map<String, Object> od = node();
        if (peek().kind() == Kind.BRACE_L) {
            od.put("Operation", "query");
            od.put("Name", "");
            od.put("VariableDefinitions", null);
            od.put("Directives", null);
            od.put("SelectionSet", requiredSelectionSet());
            return od;
        }
        od.put("Operation", operationType());
        od.put("Name", peek().kind() == Kind.NAME ? next().value() : "");
        od.put("VariableDefinitions", variableDefinitions());
        od.put("Directives", directives(false));
        od.put("SelectionSet", requiredSelectionSet());
        return od;
    }

    private String operationType() {
        Token tok = next();
        switch (tok.value()) {
            case "query", "mutation", "subscription":
                return tok.value();
            default:
                unexpected(tok);
                return "";
        }
    }

    private List<Object> variableDefinitions() {
        List<Object> defs = new ArrayList<>();
        many(Kind.PAREN_L, Kind.PAREN_R, () -> defs.add(variableDefinition()));
        return defs;
    }

    private Map<String, Object> variableDefinition() {
        Map<String, Object> def = node();
        def.put("Variable", variable());
        expect(Kind.COLON);
        def.put("Type", typeReference());
        def.put("DefaultValue", skip(Kind.EQUALS) ? valueLiteral(true) : null);
        def.put("Directives", directives(false));
        def.put("Used", false);
        return def;
    }

    private String variable() {
        expect(Kind.DOLLAR);
        return name();
    }

    private List<Object> selectionSet() {
        List<Object> selections = new ArrayList<>();
        if (!enter()) {
            return selections;
        }
        some(Kind.BRACE_L, Kind.BRACE_R, () -> selections.add(selection()));
        depth--;
        return selections;
    }

    private List<Object> requiredSelectionSet() {
        if (peek().kind() != Kind.BRACE_L) {
            error(peek(), "Expected " + Kind.BRACE_L + ", found " + peek().kind());
            return null;
        }
        return selectionSet();
    }

    private Map<String, Object> selection() {
        return peek().kind() == Kind.SPREAD ? fragment() : field();
    }

    private Map<String, Object> field() {
        Map<String, Object> field = node();
        String alias = name();
        field.put("Alias", alias);
        field.put("Name", skip(Kind.COLON) ? name() : alias);
        field.put("Arguments", arguments(false));
        field.put("Directives", directives(false));
        field.put("SelectionSet", peek().kind() == Kind.BRACE_L ? selectionSet() : null);
        return field;
    }

    private List<Object> arguments(boolean isConst) {
        List<Object> args = new ArrayList<>();
        many(Kind.PAREN_L, Kind.PAREN_R, () -> {
            Map<String, Object> arg = node();
            arg.put("Name", name());
            expect(Kind.COLON);
            arg.put("Value", valueLiteral(isConst));
            args.add(arg);
        });
        return args;
    }

    private Map<String, Object> fragment() {
        expect(Kind.SPREAD);
        Token peek = peek();
        if (peek.kind() == Kind.NAME && !peek.value().equals("on")) {
            Map<String, Object> spread = node();
            spread.put("Name", fragmentName());
            spread.put("Directives", directives(false));
            return spread;
        }
        Map<String, Object> def = node();
        def.put("TypeCondition", "");
        if (peek().value().equals("on")) {
            next();
            def.put("TypeCondition", name());
        }
        def.put("Directives", directives(false));
        def.put("SelectionSet", requiredSelectionSet());
        return def;
    }

    private Map<String, Object> fragmentDefinition() {
        Map<String, Object> def = node();
        expectKeyword("fragment");
        def.put("Name", fragmentName());
        def.put("VariableDefinition", variableDefinitions());
        expectKeyword("on");
        def.put("TypeCondition", name());
        def.put("Directives", directives(false));
        def.put("SelectionSet", requiredSelectionSet());
        return def;
    }

    private String fragmentName() {
        if (peek().value().equals("on")) {
            unexpected();
            return "";
        }
        return name();
    }

    private static Map<String, Object> value(String raw, int kind, List<Object> children) {
        Map<String, Object> v = node();
        v.put("Raw", raw);
        v.put("Children", children);
        v.put("Kind", kind);
        v.put("ExpectedTypeHasDefault", false);
        return v;
    }

    /** gqlparser's ValueKind numbers. */
    static final int VARIABLE = 0;

    static final int INT_VALUE = 1;
    static final int FLOAT_VALUE = 2;
    static final int STRING_VALUE = 3;
    static final int BLOCK_VALUE = 4;
    static final int BOOLEAN_VALUE = 5;
    static final int NULL_VALUE = 6;
    static final int ENUM_VALUE = 7;
    static final int LIST_VALUE = 8;
    static final int OBJECT_VALUE = 9;

    private Map<String, Object> valueLiteral(boolean isConst) {
        Token token = peek();
        int kind;
        switch (token.kind()) {
            case BRACKET_L, BRACE_L: {
                if (!enter()) {
                    return null;
                }
                boolean list = token.kind() == Kind.BRACKET_L;
                List<Object> children = new ArrayList<>();
                if (list) {
                    many(Kind.BRACKET_L, Kind.BRACKET_R, () -> {
                        Map<String, Object> child = node();
                        child.put("Name", "");
                        child.put("Value", valueLiteral(isConst));
                        children.add(child);
                    });
                } else {
                    many(Kind.BRACE_L, Kind.BRACE_R, () -> {
                        Map<String, Object> child = node();
                        child.put("Name", name());
                        expect(Kind.COLON);
                        child.put("Value", valueLiteral(isConst));
                        children.add(child);
                    });
                }
                depth--;
                return value("", list ? LIST_VALUE : OBJECT_VALUE, children);
            }
            case DOLLAR:
                if (isConst) {
                    unexpected();
                    return null;
                }
                return value(variable(), VARIABLE, null);
            case INT:
                kind = INT_VALUE;
                break;
            case FLOAT:
                kind = FLOAT_VALUE;
                break;
            case STRING:
                kind = STRING_VALUE;
                break;
            case BLOCK_STRING:
                kind = BLOCK_VALUE;
                break;
            case NAME:
                kind = switch (token.value()) {
                    case "true", "false" -> BOOLEAN_VALUE;
                    case "null" -> NULL_VALUE;
                    default -> ENUM_VALUE;
                };
                break;
            default:
                unexpected();
                return null;
        }
        next();
        return value(token.value(), kind, null);
    }

    private List<Object> directives(boolean isConst) {
        List<Object> directives = new ArrayList<>();
        while (peek().kind() == Kind.AT) {
            if (err != null) {
                break;
            }
            expect(Kind.AT);
            Map<String, Object> d = node();
            d.put("Name", name());
            d.put("Arguments", arguments(isConst));
            d.put("Location", "");
            directives.add(d);
        }
        return directives;
    }

    private Map<String, Object> typeReference() {
        Map<String, Object> typ = node();
        if (skip(Kind.BRACKET_L)) {
            if (!enter()) {
                return typ;
            }
            typ.put("NamedType", "");
            typ.put("Elem", typeReference());
            depth--;
            expect(Kind.BRACKET_R);
        } else {
            typ.put("NamedType", name());
            typ.put("Elem", null);
        }
        typ.put("NonNull", skip(Kind.BANG));
        return typ;
    }

    // ---- type-system documents (gqlparser parser/schema.go)

    private Map<String, Object> schemaDocument() {
        Map<String, Object> doc = node();
        List<Object> schema = new ArrayList<>();
        List<Object> schemaExtension = new ArrayList<>();
        List<Object> directives = new ArrayList<>();
        List<Object> definitions = new ArrayList<>();
        List<Object> extensions = new ArrayList<>();
        doc.put("Schema", schema);
        doc.put("SchemaExtension", schemaExtension);
        doc.put("Directives", directives);
        doc.put("Definitions", definitions);
        doc.put("Extensions", extensions);
        while (peek().kind() != Kind.EOF) {
            if (err != null) {
                return null;
            }
            String description = "";
            if (peek().kind() == Kind.BLOCK_STRING || peek().kind() == Kind.STRING) {
                description = next().value();
            }
            if (peek().kind() != Kind.NAME) {
                unexpected();
                break;
            }
            switch (peek().value()) {
                case "scalar", "type", "interface", "union", "enum", "input" ->
                    definitions.add(typeSystemDefinition(description));
                case "schema" -> schema.add(schemaDefinition(description));
                case "directive" -> directives.add(directiveDefinition(description));
                case "extend" -> {
                    if (!description.isEmpty()) {
                        unexpected(prev);
                    }
                    typeSystemExtension(extensions, schemaExtension);
                }
                default -> {
                    unexpected();
                    return null;
                }
            }
        }
        return doc;
    }

    private String description() {
        Token t = peek();
        if (t.kind() != Kind.BLOCK_STRING && t.kind() != Kind.STRING) {
            return "";
        }
        return next().value();
    }

    private static Map<String, Object> definition(String kind, String description) {
        Map<String, Object> def = node();
        def.put("Kind", kind);
        def.put("Description", description);
        def.put("Name", "");
        def.put("Directives", null);
        def.put("Interfaces", null);
        def.put("Fields", null);
        def.put("Types", null);
        def.put("EnumValues", null);
        def.put("BuiltIn", false);
        return def;
    }

    private Map<String, Object> typeSystemDefinition(String description) {
        String keyword = peek().value();
        expectKeyword(keyword);
        Map<String, Object> def;
        switch (keyword) {
            case "scalar" -> {
                def = definition("SCALAR", description);
                def.put("Name", name());
                def.put("Directives", directives(true));
            }
            case "type", "interface" -> {
                def = definition(keyword.equals("type") ? "OBJECT" : "INTERFACE", description);
                def.put("Name", name());
                def.put("Interfaces", implementsInterfaces());
                def.put("Directives", directives(true));
                def.put("Fields", fieldsDefinition());
            }
            case "union" -> {
                def = definition("UNION", description);
                def.put("Name", name());
                def.put("Directives", directives(true));
                def.put("Types", unionMemberTypes());
            }
            case "enum" -> {
                def = definition("ENUM", description);
                def.put("Name", name());
                def.put("Directives", directives(true));
                def.put("EnumValues", enumValuesDefinition());
            }
            default -> {
                def = definition("INPUT_OBJECT", description);
                def.put("Name", name());
                def.put("Directives", directives(true));
                def.put("Fields", inputFieldsDefinition());
            }
        }
        return def;
    }

    private Map<String, Object> schemaDefinition(String description) {
        expectKeyword("schema");
        Map<String, Object> def = node();
        def.put("Description", description);
        def.put("Directives", directives(true));
        List<Object> ops = new ArrayList<>();
        some(Kind.BRACE_L, Kind.BRACE_R, () -> ops.add(operationTypeDefinition()));
        def.put("OperationTypes", ops);
        return def;
    }

    private Map<String, Object> operationTypeDefinition() {
        Map<String, Object> op = node();
        op.put("Operation", operationType());
        expect(Kind.COLON);
        op.put("Type", name());
        return op;
    }

    private List<Object> implementsInterfaces() {
        List<Object> types = new ArrayList<>();
        if (peek().value().equals("implements")) {
            next();
            skip(Kind.AMP);
            types.add(name());
            while (skip(Kind.AMP) && err == null) {
                types.add(name());
            }
        }
        return types;
    }

    private List<Object> fieldsDefinition() {
        List<Object> defs = new ArrayList<>();
        some(Kind.BRACE_L, Kind.BRACE_R, () -> {
            Map<String, Object> def = node();
            def.put("Description", description());
            def.put("Name", name());
            def.put("Arguments", argumentDefs());
            expect(Kind.COLON);
            def.put("DefaultValue", null);
            def.put("Type", typeReference());
            def.put("Directives", directives(true));
            defs.add(def);
        });
        return defs;
    }

    private List<Object> argumentDefs() {
        List<Object> args = new ArrayList<>();
        some(Kind.PAREN_L, Kind.PAREN_R, () -> args.add(inputValueDef()));
        return args;
    }

    private Map<String, Object> inputValueDef() {
        Map<String, Object> def = node();
        def.put("Description", description());
        def.put("Name", name());
        expect(Kind.COLON);
        def.put("Type", typeReference());
        def.put("DefaultValue", skip(Kind.EQUALS) ? valueLiteral(true) : null);
        def.put("Directives", directives(true));
        return def;
    }

    private List<Object> unionMemberTypes() {
        List<Object> types = new ArrayList<>();
        if (skip(Kind.EQUALS)) {
            skip(Kind.PIPE);
            types.add(name());
            while (skip(Kind.PIPE) && err == null) {
                types.add(name());
            }
        }
        return types;
    }

    private List<Object> enumValuesDefinition() {
        List<Object> values = new ArrayList<>();
        some(Kind.BRACE_L, Kind.BRACE_R, () -> {
            Map<String, Object> v = node();
            v.put("Description", description());
            v.put("Name", name());
            v.put("Directives", directives(true));
            values.add(v);
        });
        return values;
    }

    private List<Object> inputFieldsDefinition() {
        List<Object> values = new ArrayList<>();
        some(Kind.BRACE_L, Kind.BRACE_R, () -> values.add(inputValueDef()));
        return values;
    }

    private void typeSystemExtension(List<Object> extensions, List<Object> schemaExtension) {
        expectKeyword("extend");
        String keyword = peek().value();
        switch (keyword) {
            case "schema" -> {
                expectKeyword("schema");
                Map<String, Object> def = node();
                def.put("Description", "");
                List<Object> dirs = directives(true);
                def.put("Directives", dirs);
                List<Object> ops = new ArrayList<>();
                some(Kind.BRACE_L, Kind.BRACE_R, () -> ops.add(operationTypeDefinition()));
                def.put("OperationTypes", ops);
                if (dirs.isEmpty() && ops.isEmpty()) {
                    unexpected();
                }
                schemaExtension.add(def);
            }
            case "scalar", "type", "interface", "union", "enum", "input" -> {
                expectKeyword(keyword);
                Map<String, Object> def;
                boolean empty;
                switch (keyword) {
                    case "scalar" -> {
                        def = definition("SCALAR", "");
                        def.put("Name", name());
                        List<Object> dirs = directives(true);
                        def.put("Directives", dirs);
                        empty = dirs.isEmpty();
                    }
                    case "type" -> {
                        def = definition("OBJECT", "");
                        def.put("Name", name());
                        List<Object> intfs = implementsInterfaces();
                        def.put("Interfaces", intfs);
                        List<Object> dirs = directives(true);
                        def.put("Directives", dirs);
                        List<Object> fields = fieldsDefinition();
                        def.put("Fields", fields);
                        empty = intfs.isEmpty() && dirs.isEmpty() && fields.isEmpty();
                    }
                    case "interface" -> {
                        def = definition("INTERFACE", "");
                        def.put("Name", name());
                        List<Object> dirs = directives(true);
                        def.put("Directives", dirs);
                        List<Object> fields = fieldsDefinition();
                        def.put("Fields", fields);
                        empty = dirs.isEmpty() && fields.isEmpty();
                    }
                    case "union" -> {
                        def = definition("UNION", "");
                        def.put("Name", name());
                        List<Object> dirs = directives(true);
                        def.put("Directives", dirs);
                        List<Object> types = unionMemberTypes();
                        def.put("Types", types);
                        empty = dirs.isEmpty() && types.isEmpty();
                    }
                    case "enum" -> {
                        def = definition("ENUM", "");
                        def.put("Name", name());
                        List<Object> dirs = directives(true);
                        def.put("Directives", dirs);
                        List<Object> values = enumValuesDefinition();
                        def.put("EnumValues", values);
                        empty = dirs.isEmpty() && values.isEmpty();
                    }
                    default -> {
                        def = definition("INPUT_OBJECT", "");
                        def.put("Name", name());
                        List<Object> dirs = directives(false);
                        def.put("Directives", dirs);
                        List<Object> fields = inputFieldsDefinition();
                        def.put("Fields", fields);
                        empty = dirs.isEmpty() && fields.isEmpty();
                    }
                }
                if (empty) {
                    unexpected();
                }
                extensions.add(def);
            }
            default -> unexpected();
        }
    }

    private static final java.util.Set<String> LOCATIONS = java.util.Set.of(
            "QUERY",
            "MUTATION",
            "SUBSCRIPTION",
            "FIELD",
            "FRAGMENT_DEFINITION",
            "FRAGMENT_SPREAD",
            "INLINE_FRAGMENT",
            "VARIABLE_DEFINITION",
            "SCHEMA",
            "SCALAR",
            "OBJECT",
            "FIELD_DEFINITION",
            "ARGUMENT_DEFINITION",
            "INTERFACE",
            "UNION",
            "ENUM",
            "ENUM_VALUE",
            "INPUT_OBJECT",
            "INPUT_FIELD_DEFINITION");

    private Map<String, Object> directiveDefinition(String description) {
        expectKeyword("directive");
        expect(Kind.AT);
        Map<String, Object> def = node();
        def.put("Description", description);
        def.put("Name", name());
        def.put("Arguments", argumentDefs());
        boolean repeatable = false;
        if (peek().kind() == Kind.NAME && peek().value().equals("repeatable")) {
            repeatable = true;
            skip(Kind.NAME);
        }
        def.put("IsRepeatable", repeatable);
        expectKeyword("on");
        List<Object> locations = new ArrayList<>();
        skip(Kind.PIPE);
        locations.add(directiveLocation());
        while (skip(Kind.PIPE) && err == null) {
            locations.add(directiveLocation());
        }
        def.put("Locations", locations);
        return def;
    }

    private String directiveLocation() {
        Token name = expect(Kind.NAME);
        if (LOCATIONS.contains(name.value())) {
            return name.value();
        }
        unexpected(name);
        return "";
    }
}
