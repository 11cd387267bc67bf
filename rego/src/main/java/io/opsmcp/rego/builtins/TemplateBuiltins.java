package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * strings.render_template(template, vars): renders a Go text/template ({@code v1/topdown/template.go}) with the
 * object {@code vars} as dot. Supported: text with {@code {{- trim -}}} markers and comments; output actions over
 * pipelines ({@code |}); fields ({@code .a.b}), variables ({@code $x}, {@code :=}, {@code =}), literals;
 * {@code if}/{@code else if}/{@code else}, {@code range} (with {@code $i, $v :=}, {@code else}, {@code break},
 * {@code continue}), {@code with}; functions and, or, not, len, index, slice, print, printf, println, eq, ne, lt,
 * le, gt, ge, html, js, urlquery. {@code define}/{@code template}/{@code block} are not supported (an error).
 *
 * <p>As in OPA, numbers are float64 (printed as Go's {@code %v}); a key missing from an object renders as
 * {@code <undefined>}, as does null. Output is capped at {@value #MAX_OUTPUT} characters and execution at
 * {@value #MAX_STEPS} steps, so a template cannot run away.
 */
final class TemplateBuiltins {
    static final int MAX_OUTPUT = 1 << 20;
    static final int MAX_STEPS = 1_000_000;

    private TemplateBuiltins() {}

    static List<Builtin> all() {
        return List.of(Builtin.simple(
                "strings.render_template",
                args(STRING, Type.object(STRING, Type.ANY)),
                STRING,
                (a, c) -> StringValue.of(render(Operands.string(a, 0), Operands.object(a, 1)))));
    }

    static String render(String template, ObjectValue vars) {
        List<Node> nodes = new TemplateParser(template).parse();
        Exec exec = new Exec();
        exec.vars.add("$");
        exec.values.add(vars);
        exec.run(nodes, vars);
        return exec.out.toString();
    }

    // ---------------------------------------------------------------- AST

    sealed interface Node permits Text, Action, If, Range, With, Break, Continue {}

    record Text(String text) implements Node {}

    record Action(Pipeline pipe) implements Node {}

    record If(Pipeline cond, List<Node> then, List<Node> otherwise) implements Node {}

    record Range(Pipeline pipe, List<Node> body, List<Node> otherwise) implements Node {}

    record With(Pipeline pipe, List<Node> body, List<Node> otherwise) implements Node {}

    record Break() implements Node {}

    record Continue() implements Node {}

    /** {@code $a, $b := cmd | cmd}; {@code assign} for {@code =}. */
    record Pipeline(List<String> decl, boolean assign, List<List<Operand>> commands) {}

    sealed interface Operand permits Dot, Field, Var, Literal, Ident, Sub {}

    /** {@code .} followed by nothing. */
    record Dot() implements Operand {}

    /** {@code .a.b} on dot. */
    record Field(List<String> chain) implements Operand {}

    /** {@code $x.a.b}. */
    record Var(String name, List<String> chain) implements Operand {}

    record Literal(Value value) implements Operand {}

    /** A function name. */
    record Ident(String name) implements Operand {}

    /** {@code (pipeline).a.b}. */
    record Sub(Pipeline pipe, List<String> chain) implements Operand {}

    // ---------------------------------------------------------------- parser

    private static final class TemplateParser {
        private final String src;
        private int pos;
        private int line = 1;
        private List<String> tokens;
        private int tok;

        TemplateParser(String src) {
            this.src = src;
        }

        private BuiltinError error(String msg) {
            return new BuiltinError("template: template:" + line + ": " + msg);
        }

        List<Node> parse() {
            List<Node> nodes = new ArrayList<>();
            String end = list(nodes, 0);
            if (end != null) {
                throw error("unexpected {{" + end + "}}");
            }
            return nodes;
        }

        /** Parses nodes until else/end (returned) or EOF (null). */
        private String list(List<Node> nodes, int depth) {
            if (depth > 100) {
                throw error("template nested too deeply");
            }
            while (pos < src.length()) {
                int open = src.indexOf("{{", pos);
                String text = open < 0 ? src.substring(pos) : src.substring(pos, open);
                boolean trimLeft = open >= 0 && src.startsWith("{{- ", open)
                        || open >= 0 && src.startsWith("{{-\t", open)
                        || open >= 0 && src.startsWith("{{-\n", open);
                if (trimLeft) {
                    text = text.stripTrailing();
                }
                if (!text.isEmpty()) {
                    nodes.add(new Text(text));
                }
                line += count(src, pos, open < 0 ? src.length() : open);
                if (open < 0) {
                    pos = src.length();
                    return null;
                }
                int start = open + (trimLeft ? 3 : 2);
                int close = findClose(start);
                boolean trimRight = close >= 1
                        && src.charAt(close - 1) == '-'
                        && close >= 2
                        && Character.isWhitespace(src.charAt(close - 2));
                String body =
                        src.substring(start, trimRight ? close - 1 : close).trim();
                line += count(src, open, close);
                pos = close + 2;
                if (trimRight) {
                    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
                        if (src.charAt(pos) == '\n') {
                            line++;
                        }
                        pos++;
                    }
                }
                if (body.startsWith("/*")) {
                    if (!body.endsWith("*/")) {
                        throw error("unclosed comment");
                    }
                    continue;
                }
                tokens = lex(body);
                tok = 0;
                if (tokens.isEmpty()) {
                    throw error("missing value for command");
                }
                String first = tokens.get(0);
                switch (first) {
                    case "end" -> {
                        expectEnd(1);
                        return "end";
                    }
                    case "else" -> {
                        return "else";
                    }
                    case "if", "range", "with" -> {
                        tok = 1;
                        nodes.add(control(first, depth));
                    }
                    case "break", "continue" -> {
                        expectEnd(1);
                        nodes.add(first.equals("break") ? new Break() : new Continue());
                    }
                    case "define", "template", "block" -> throw error("{{" + first + "}} is not supported");
                    default -> nodes.add(new Action(pipeline()));
                }
            }
            return null;
        }

        private Node control(String kind, int depth) {
            Pipeline pipe = pipeline();
            List<Node> body = new ArrayList<>();
            String end = list(body, depth + 1);
            List<Node> otherwise = List.of();
            if ("else".equals(end)) {
                otherwise = new ArrayList<>();
                if (tokens.size() > 1
                        && (tokens.get(1).equals("if") && kind.equals("if")
                                || tokens.get(1).equals("with") && kind.equals("with"))) {
                    // {{else if ...}} / {{else with ...}}: a nested control sharing the outer {{end}}.
                    tok = 2;
                    otherwise.add(control(kind, depth + 1));
                    end = "end";
                } else {
                    expectEnd(1);
                    end = list(otherwise, depth + 1);
                }
            }
            if (!"end".equals(end)) {
                throw error("unexpected EOF");
            }
            return switch (kind) {
                case "if" -> new If(pipe, body, otherwise);
                case "range" -> new Range(pipe, body, otherwise);
                default -> new With(pipe, body, otherwise);
            };
        }

        private void expectEnd(int n) {
            if (tokens.size() > n) {
                throw error("unexpected " + tokens.get(n) + " in " + tokens.get(0));
            }
        }

        private int findClose(int from) {
            boolean inString = false;
            char quote = 0;
            for (int i = from; i < src.length() - 1; i++) {
                char c = src.charAt(i);
                if (inString) {
                    if (c == '\\' && quote == '"') {
                        i++;
                    } else if (c == quote) {
                        inString = false;
                    }
                } else if (c == '"' || c == '`' || c == '\'') {
                    inString = true;
                    quote = c;
                } else if (c == '}' && src.charAt(i + 1) == '}') {
                    return i;
                }
            }
            throw error("unclosed action");
        }

        private static int count(String s, int from, int to) {
            int n = 0;
            for (int i = from; i < to && i < s.length(); i++) {
                if (s.charAt(i) == '\n') {
                    n++;
                }
            }
            return n;
        }

        private List<String> lex(String body) {
            List<String> out = new ArrayList<>();
            int i = 0;
            while (i < body.length()) {
                char c = body.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '"' || c == '`' || c == '\'') {
                    int j = i + 1;
                    while (j < body.length() && body.charAt(j) != c) {
                        j += body.charAt(j) == '\\' && c != '`' ? 2 : 1;
                    }
                    if (j >= body.length()) {
                        throw error("unterminated quoted string");
                    }
                    out.add(body.substring(i, j + 1));
                    i = j + 1;
                } else if (c == ':' && i + 1 < body.length() && body.charAt(i + 1) == '=') {
                    out.add(":=");
                    i += 2;
                } else if ("()|=,".indexOf(c) >= 0) {
                    out.add(String.valueOf(c));
                    i++;
                } else {
                    int j = i;
                    while (j < body.length()
                            && !Character.isWhitespace(body.charAt(j))
                            && "()|=,\"`'".indexOf(body.charAt(j)) < 0
                            && !(body.charAt(j) == ':' && j + 1 < body.length() && body.charAt(j + 1) == '=')) {
                        j++;
                    }
                    out.add(body.substring(i, j));
                    i = j;
                }
            }
            return out;
        }

        private String peek() {
            return tok < tokens.size() ? tokens.get(tok) : null;
        }

        private Pipeline pipeline() {
            List<String> decl = new ArrayList<>();
            boolean assign = false;
            // Declarations: $x := / $i, $v := / $x =
            int save = tok;
            List<String> vars = new ArrayList<>();
            while (peek() != null && peek().startsWith("$") && !peek().contains(".")) {
                vars.add(tokens.get(tok++));
                if (",".equals(peek())) {
                    tok++;
                    continue;
                }
                break;
            }
            if (!vars.isEmpty() && (":=".equals(peek()) || "=".equals(peek()))) {
                assign = "=".equals(peek());
                tok++;
                decl = vars;
            } else {
                tok = save;
            }
            List<List<Operand>> commands = new ArrayList<>();
            while (true) {
                List<Operand> cmd = new ArrayList<>();
                while (peek() != null && !"|".equals(peek()) && !")".equals(peek())) {
                    cmd.add(operand());
                }
                if (cmd.isEmpty()) {
                    throw error("missing value for command");
                }
                commands.add(cmd);
                if ("|".equals(peek())) {
                    tok++;
                    continue;
                }
                break;
            }
            return new Pipeline(decl, assign, commands);
        }

        private Operand operand() {
            String t = tokens.get(tok++);
            if (t.equals("(")) {
                Pipeline p = pipeline();
                if (!")".equals(peek())) {
                    throw error("unclosed left paren");
                }
                tok++;
                return new Sub(p, chainAfter());
            }
            if (t.equals(".")) {
                return new Dot();
            }
            if (t.startsWith(".")) {
                return new Field(List.of(t.substring(1).split("\\.", -1)));
            }
            if (t.startsWith("$")) {
                String[] parts = t.split("\\.", -1);
                return new Var(parts[0], List.of(parts).subList(1, parts.length));
            }
            if (t.startsWith("\"")) {
                return new Literal(StringValue.of(unquote(t)));
            }
            if (t.startsWith("`")) {
                return new Literal(StringValue.of(t.substring(1, t.length() - 1)));
            }
            if (t.startsWith("'")) {
                String ch = unquote("\"" + t.substring(1, t.length() - 1) + "\"");
                return new Literal(NumberValue.of(ch.codePointAt(0)));
            }
            switch (t) {
                case "true", "false":
                    return new Literal(BooleanValue.of(t.equals("true")));
                case "nil":
                    return new Literal(NullValue.INSTANCE);
                default:
                    break;
            }
            if (Character.isDigit(t.charAt(0)) || t.charAt(0) == '-' || t.charAt(0) == '+') {
                try {
                    return new Literal(NumberValue.of(new BigDecimal(t.replace("_", ""))));
                } catch (NumberFormatException e) {
                    throw error("bad number syntax: " + GoQuote.quote(t));
                }
            }
            if (!Funcs.NAMES.contains(t)) {
                throw error("function " + GoQuote.quote(t) + " not defined");
            }
            return new Ident(t);
        }

        private List<String> chainAfter() {
            String t = peek();
            if (t != null && t.startsWith(".") && t.length() > 1) {
                tok++;
                return List.of(t.substring(1).split("\\.", -1));
            }
            return List.of();
        }

        private String unquote(String s) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(++i);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '\\', '"', '\'' -> sb.append(e);
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> throw error("invalid syntax");
                }
            }
            return sb.toString();
        }
    }

    // ---------------------------------------------------------------- execution

    /** Thrown (without stack) to unwind a range iteration. */
    private static final class LoopSignal extends RuntimeException {
        final boolean isBreak;

        LoopSignal(boolean isBreak) {
            super(null, null, false, false);
            this.isBreak = isBreak;
        }
    }

    /** The value of a missing object key: renders as OPA's {@code <undefined>}. */
    private static final Value MISSING = NullValue.INSTANCE;

    private static final class Exec {
        final StringBuilder out = new StringBuilder();
        final List<String> vars = new ArrayList<>();
        final List<Value> values = new ArrayList<>();
        long steps;

        private void step() {
            if (++steps > MAX_STEPS) {
                throw new BuiltinError("template: execution exceeds " + MAX_STEPS + " steps");
            }
        }

        private void write(String s) {
            out.append(s);
            if (out.length() > MAX_OUTPUT) {
                throw new BuiltinError("template: output exceeds " + MAX_OUTPUT + " characters");
            }
        }

        void run(List<Node> nodes, Value dot) {
            for (Node n : nodes) {
                step();
                if (n instanceof Text t) {
                    write(t.text());
                } else if (n instanceof Action a) {
                    Value v = pipeline(a.pipe(), dot);
                    if (a.pipe().decl().isEmpty()) {
                        write(print(v));
                    }
                } else if (n instanceof If i) {
                    scoped(() -> run(truth(pipeline(i.cond(), dot)) ? i.then() : i.otherwise(), dot));
                } else if (n instanceof With w) {
                    scoped(() -> {
                        Value v = pipeline(w.pipe(), dot);
                        run(truth(v) ? w.body() : w.otherwise(), truth(v) ? v : dot);
                    });
                } else if (n instanceof Range r) {
                    scoped(() -> range(r, dot));
                } else {
                    throw new LoopSignal(n instanceof Break);
                }
            }
        }

        private void scoped(Runnable r) {
            int mark = vars.size();
            try {
                r.run();
            } finally {
                while (vars.size() > mark) {
                    vars.remove(vars.size() - 1);
                    values.remove(values.size() - 1);
                }
            }
        }

        private void range(Range r, Value dot) {
            Pipeline p = r.pipe();
            Value collection = pipeline(new Pipeline(List.of(), false, p.commands()), dot);
            List<Value[]> items = new ArrayList<>();
            if (collection instanceof ArrayValue a) {
                for (int i = 0; i < a.size(); i++) {
                    items.add(new Value[] {NumberValue.of(i), a.get(i)});
                }
            } else if (collection instanceof ObjectValue o) {
                o.entries().forEach(e -> items.add(new Value[] {e.getKey(), e.getValue()}));
            } else if (collection instanceof SetValue s) {
                int i = 0;
                for (Value v : s.elements()) {
                    items.add(new Value[] {NumberValue.of(i++), v});
                }
            } else if (collection != MISSING) {
                throw new BuiltinError("template: range can't iterate over " + print(collection));
            }
            if (items.isEmpty()) {
                run(r.otherwise(), dot);
                return;
            }
            for (Value[] item : items) {
                int mark = vars.size();
                if (p.decl().size() == 1) {
                    declare(p.decl().get(0), item[1]);
                } else if (p.decl().size() == 2) {
                    declare(p.decl().get(0), item[0]);
                    declare(p.decl().get(1), item[1]);
                }
                try {
                    run(r.body(), item[1]);
                } catch (LoopSignal s) {
                    if (s.isBreak) {
                        break;
                    }
                } finally {
                    while (vars.size() > mark) {
                        vars.remove(vars.size() - 1);
                        values.remove(values.size() - 1);
                    }
                }
            }
        }

        private void declare(String name, Value v) {
            vars.add(name);
            values.add(v);
        }

        private Value lookup(String name) {
            for (int i = vars.size() - 1; i >= 0; i--) {
                if (vars.get(i).equals(name)) {
                    return values.get(i);
                }
            }
            throw new BuiltinError("template: undefined variable: " + name);
        }

        private Value pipeline(Pipeline p, Value dot) {
            Value v = null;
            for (List<Operand> cmd : p.commands()) {
                v = command(cmd, dot, v);
            }
            if (!p.decl().isEmpty()) {
                if (p.assign()) {
                    for (int i = vars.size() - 1; i >= 0; i--) {
                        if (vars.get(i).equals(p.decl().get(0))) {
                            values.set(i, v);
                            return v;
                        }
                    }
                    throw new BuiltinError(
                            "template: undefined variable: " + p.decl().get(0));
                }
                declare(p.decl().get(0), v);
            }
            return v;
        }

        private Value command(List<Operand> cmd, Value dot, Value piped) {
            step();
            Operand head = cmd.get(0);
            if (head instanceof Ident f) {
                List<Value> args = new ArrayList<>();
                for (Operand o : cmd.subList(1, cmd.size())) {
                    args.add(operand(o, dot));
                }
                if (piped != null) {
                    args.add(piped);
                }
                return Funcs.call(f.name(), args, this);
            }
            if (cmd.size() > 1 || piped != null) {
                throw new BuiltinError("template: can't give argument to non-function " + describe(head));
            }
            return operand(head, dot);
        }

        private Value operand(Operand o, Value dot) {
            if (o instanceof Field f) {
                return chain(dot, f.chain());
            }
            if (o instanceof Var v) {
                return chain(lookup(v.name()), v.chain());
            }
            if (o instanceof Literal l) {
                return l.value();
            }
            if (o instanceof Sub s) {
                return chain(pipeline(s.pipe(), dot), s.chain());
            }
            if (o instanceof Ident i) {
                return Funcs.call(i.name(), List.of(), this);
            }
            return dot;
        }

        private Value chain(Value v, List<String> names) {
            for (String name : names) {
                if (v instanceof ObjectValue o) {
                    Value next = o.get(StringValue.of(name));
                    v = next == null ? MISSING : next;
                } else if (v == MISSING) {
                    return MISSING;
                } else {
                    throw new BuiltinError("template: can't evaluate field " + name + " in type " + goType(v));
                }
            }
            return v;
        }

        private static String describe(Operand o) {
            if (o instanceof Field f) {
                return "." + String.join(".", f.chain());
            }
            return o instanceof Var v ? v.name() : o.toString();
        }
    }

    /** Go's template truth: false for false, 0, "", nil and empty collections. */
    static boolean truth(Value v) {
        if (v instanceof BooleanValue b) {
            return b.value();
        }
        if (v instanceof NumberValue n) {
            return n.bigDecimal().signum() != 0;
        }
        if (v instanceof StringValue s) {
            return !s.value().isEmpty();
        }
        if (v instanceof ArrayValue a) {
            return a.size() > 0;
        }
        if (v instanceof ObjectValue o) {
            return !o.isEmpty();
        }
        return v instanceof SetValue s && !s.isEmpty();
    }

    static String goType(Value v) {
        if (v instanceof StringValue) {
            return "string";
        }
        if (v instanceof NumberValue) {
            return "float64";
        }
        if (v instanceof BooleanValue) {
            return "bool";
        }
        if (v instanceof ArrayValue) {
            return "[]interface {}";
        }
        return v instanceof ObjectValue ? "map[string]interface {}" : "interface {}";
    }

    /** fmt's %v of the Go value OPA's ast.As produces (numbers are float64). */
    static String print(Value v) {
        if (v instanceof StringValue s) {
            return s.value();
        }
        if (v instanceof NumberValue n) {
            return goFloat(n.bigDecimal().doubleValue());
        }
        if (v instanceof BooleanValue b) {
            return String.valueOf(b.value());
        }
        if (v instanceof SetValue s) {
            return print(ArrayValue.of(new ArrayList<>(s.elements())));
        }
        if (v instanceof ArrayValue a) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < a.size(); i++) {
                sb.append(i > 0 ? " " : "").append(print(a.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof ObjectValue o) {
            StringBuilder sb = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<Value, Value> e : o.entries()) {
                sb.append(first ? "" : " ")
                        .append(print(e.getKey()))
                        .append(':')
                        .append(print(e.getValue()));
                first = false;
            }
            return sb.append(']').toString();
        }
        return "<undefined>";
    }

    /** Go's %v for a float64: shortest digits, exponent form below 1e-4 or from 1e21. */
    static String goFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exp = shortest.precision() - shortest.scale() - 1;
        if (exp < -4 || exp >= 21) {
            String digits = shortest.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder(d < 0 ? "-" : "").append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ax = Math.abs(exp);
            return sb.append(ax < 10 ? "0" + ax : String.valueOf(ax)).toString();
        }
        return shortest.toPlainString();
    }

    // ---------------------------------------------------------------- functions

    private static final class Funcs {
        static final java.util.Set<String> NAMES = java.util.Set.of(
                "and",
                "or",
                "not",
                "len",
                "index",
                "slice",
                "print",
                "printf",
                "println",
                "eq",
                "ne",
                "lt",
                "le",
                "gt",
                "ge",
                "html",
                "js",
                "urlquery");

        static Value call(String name, List<Value> args, Exec exec) {
            switch (name) {
                case "and": {
                    need(name, args, 1);
                    for (Value v : args) {
                        if (!truth(v)) {
                            return v;
                        }
                    }
                    return args.get(args.size() - 1);
                }
                case "or": {
                    need(name, args, 1);
                    for (Value v : args) {
                        if (truth(v)) {
                            return v;
                        }
                    }
                    return args.get(args.size() - 1);
                }
                case "not":
                    exactly(name, args, 1);
                    return BooleanValue.of(!truth(args.get(0)));
                case "len": {
                    exactly(name, args, 1);
                    Value v = args.get(0);
                    if (v instanceof StringValue s) {
                        return NumberValue.of(s.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                    }
                    if (v instanceof ArrayValue a) {
                        return NumberValue.of(a.size());
                    }
                    if (v instanceof ObjectValue o) {
                        return NumberValue.of(o.size());
                    }
                    if (v instanceof SetValue st) {
                        return NumberValue.of(st.size());
                    }
                    throw new BuiltinError("template: error calling len: len of type " + goType(v));
                }
                case "index": {
                    need(name, args, 1);
                    Value v = args.get(0);
                    for (Value k : args.subList(1, args.size())) {
                        if (v instanceof ArrayValue a
                                && k instanceof NumberValue n
                                && n.asInt().isPresent()) {
                            int i = n.asInt().getAsInt();
                            if (i < 0 || i >= a.size()) {
                                throw new BuiltinError("template: error calling index: index out of range: " + i);
                            }
                            v = a.get(i);
                        } else if (v instanceof ObjectValue o) {
                            Value next = o.get(k);
                            v = next == null ? MISSING : next;
                        } else {
                            throw new BuiltinError(
                                    "template: error calling index: cannot index slice/array with type " + goType(k));
                        }
                    }
                    return v;
                }
                case "slice": {
                    need(name, args, 1);
                    Value v = args.get(0);
                    int from = args.size() > 1 ? intArg(args.get(1)) : 0;
                    if (v instanceof StringValue s) {
                        int to = args.size() > 2
                                ? intArg(args.get(2))
                                : s.value().length();
                        check(from, to, s.value().length());
                        return StringValue.of(s.value().substring(from, to));
                    }
                    if (v instanceof ArrayValue a) {
                        int to = args.size() > 2 ? intArg(args.get(2)) : a.size();
                        check(from, to, a.size());
                        return ArrayValue.of(a.elements().subList(from, to));
                    }
                    throw new BuiltinError("template: error calling slice: can't slice item of type " + goType(v));
                }
                case "print", "println": {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < args.size(); i++) {
                        boolean spaced = name.equals("println")
                                || (i > 0
                                        && !(args.get(i) instanceof StringValue)
                                        && !(args.get(i - 1) instanceof StringValue));
                        sb.append(i > 0 && spaced ? " " : "").append(print(args.get(i)));
                    }
                    return StringValue.of(
                            name.equals("println") ? sb.append('\n').toString() : sb.toString());
                }
                case "printf": {
                    need(name, args, 1);
                    if (!(args.get(0) instanceof StringValue f)) {
                        throw new BuiltinError("template: error calling printf: format is not a string");
                    }
                    return StringValue.of(SprintfFormatter.format(f.value(), args.subList(1, args.size())));
                }
                case "eq": {
                    need(name, args, 2);
                    for (Value v : args.subList(1, args.size())) {
                        if (compare(args.get(0), v) == 0) {
                            return BooleanValue.TRUE;
                        }
                    }
                    return BooleanValue.FALSE;
                }
                case "ne":
                    exactly(name, args, 2);
                    return BooleanValue.of(compare(args.get(0), args.get(1)) != 0);
                case "lt", "le", "gt", "ge": {
                    exactly(name, args, 2);
                    if (!(args.get(0) instanceof NumberValue || args.get(0) instanceof StringValue)
                            || args.get(0).getClass() != args.get(1).getClass()) {
                        throw new BuiltinError(
                                "template: error calling " + name + ": incompatible types for comparison");
                    }
                    int c = args.get(0).compareTo(args.get(1));
                    return BooleanValue.of(
                            switch (name) {
                                case "lt" -> c < 0;
                                case "le" -> c <= 0;
                                case "gt" -> c > 0;
                                default -> c >= 0;
                            });
                }
                case "html":
                    return StringValue.of(html(joined(args)));
                case "js":
                    return StringValue.of(js(joined(args)));
                default:
                    return StringValue.of(
                            java.net.URLEncoder.encode(joined(args), java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        private static int compare(Value a, Value b) {
            if (a.getClass() != b.getClass() && !(a == MISSING || b == MISSING)) {
                throw new BuiltinError("template: error calling eq: incompatible types for comparison");
            }
            return a.equals(b) ? 0 : 1;
        }

        private static String joined(List<Value> args) {
            StringBuilder sb = new StringBuilder();
            args.forEach(v -> sb.append(print(v)));
            return sb.toString();
        }

        private static String html(String s) {
            return s.replace("&", "&amp;")
                    .replace("<", "&lt;")
                    .replace(">", "&gt;")
                    .replace("\"", "&#34;")
                    .replace("'", "&#39;")
                    .replace("\0", "\uFFFD");
        }

        private static String js(String s) {
            StringBuilder sb = new StringBuilder();
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '\'' -> sb.append("\\'");
                    case '"' -> sb.append("\\\"");
                    case '<' -> sb.append("\\u003C");
                    case '>' -> sb.append("\\u003E");
                    case '&' -> sb.append("\\u0026");
                    case '=' -> sb.append("\\u003D");
                    case '\n' -> sb.append("\\u000A");
                    case '\r' -> sb.append("\\u000D");
                    case '\t' -> sb.append("\\u0009");
                    default -> {
                        if (c < ' ') {
                            sb.append(String.format("\\u%04X", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.toString();
        }

        private static int intArg(Value v) {
            if (v instanceof NumberValue n && n.asInt().isPresent()) {
                return n.asInt().getAsInt();
            }
            throw new BuiltinError("template: error calling slice: cannot index slice/array with type " + goType(v));
        }

        private static void check(int from, int to, int len) {
            if (from < 0 || to < from || to > len) {
                throw new BuiltinError("template: error calling slice: index out of range: " + to);
            }
        }

        private static void need(String name, List<Value> args, int n) {
            if (args.size() < n) {
                throw new BuiltinError(
                        "template: wrong number of args for " + name + ": want at least " + n + " got " + args.size());
            }
        }

        private static void exactly(String name, List<Value> args, int n) {
            if (args.size() != n) {
                throw new BuiltinError(
                        "template: wrong number of args for " + name + ": want " + n + " got " + args.size());
            }
        }
    }
}
