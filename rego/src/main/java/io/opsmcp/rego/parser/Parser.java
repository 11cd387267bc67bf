package io.opsmcp.rego.parser;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.ast.Body;
import io.opsmcp.rego.ast.Expr;
import io.opsmcp.rego.ast.Location;
import io.opsmcp.rego.ast.Module;
import io.opsmcp.rego.ast.Rule;
import io.opsmcp.rego.ast.Term;
import io.opsmcp.rego.lexer.LexException;
import io.opsmcp.rego.lexer.Lexer;
import io.opsmcp.rego.lexer.Token;
import io.opsmcp.rego.lexer.TokenType;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.StringValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for Rego v1 (structure and operator precedence after OPA's
 * {@code v1/ast/parser.go}): lowest to highest {@code = :=}, {@code in}, relations
 * ({@code == != < > <= >=}), {@code |}, {@code &}, {@code + -}, {@code * / %}.
 * Errors are {@link RegoException}s with code {@code rego_parse_error}.
 */
public final class Parser {
    private static final Set<String> KEYWORDS = Set.of(
            "as",
            "default",
            "else",
            "false",
            "import",
            "package",
            "not",
            "null",
            "true",
            "with",
            "some",
            "in",
            "every",
            "contains",
            "if");

    /** Future keywords a module may import; {@code and}/{@code or} only with experimental keywords. */
    private static final List<String> FUTURE_KEYWORDS = List.of("contains", "every", "if", "in", "not");

    private static final List<String> FUTURE_KEYWORDS_EXPERIMENTAL =
            List.of("and", "contains", "every", "if", "in", "not", "or");

    private final String file;
    private final String src;
    private final List<Token> tokens;
    private final boolean experimentalKeywords;
    private int p;
    private int wildcards;
    private int templateVars;
    // keywords switched on by `import future.keywords...` (OPA: per module, from the import on)
    private boolean andKeyword;
    private boolean orKeyword;
    private boolean notBodies;
    // whether the last operand() was an explicit `{ ... }` body
    private boolean explicitOperand;

    private Parser(String file, String src) {
        this(file, src, false);
    }

    private Parser(String file, String src, boolean experimentalKeywords) {
        this.file = file;
        this.experimentalKeywords = experimentalKeywords;
        this.src = src;
        try {
            this.tokens = Lexer.tokenize(src);
        } catch (LexException e) {
            throw new RegoException("rego_parse_error", e.getMessage(), new Location(file, e.row(), e.col()));
        }
    }

    /** Parses one module. */
    public static Module parseModule(String file, String src) {
        return new Parser(file, src).module();
    }

    /**
     * Parses one module; with {@code experimentalKeywords} the module may import the experimental
     * {@code and} / {@code or} keywords (OPA's {@code CapabilitiesExperimentalKeywords}), without
     * it such an import is a rego_parse_error, as in OPA.
     */
    public static Module parseModule(String file, String src, boolean experimentalKeywords) {
        return new Parser(file, src, experimentalKeywords).module();
    }

    /** Parses a query (expressions separated by newlines or semicolons). */
    public static Body parseQuery(String src) {
        Parser ps = new Parser("", src);
        Body b = ps.bodyUntil(TokenType.EOF);
        if (b.exprs().isEmpty()) {
            throw ps.error("empty query", ps.tok());
        }
        return b;
    }

    /** Parses a single term (e.g. an input_term). */
    public static Term parseTerm(String src) {
        Parser ps = new Parser("", src);
        Term t = ps.termIn(false);
        ps.expect(TokenType.EOF);
        return t;
    }

    // ---------------------------------------------------------------- helpers

    private Token tok() {
        return tokens.get(p);
    }

    private Token peek(int n) {
        return tokens.get(Math.min(p + n, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(p);
        if (p < tokens.size() - 1) {
            p++;
        }
        return t;
    }

    private boolean at(TokenType t) {
        return tok().type() == t;
    }

    private boolean atIdent(String s) {
        return tok().isIdent(s);
    }

    /**
     * The keyword {@code s} here, unless it starts a reference: a keyword directly followed by
     * {@code .} or {@code [} is a plain name (OPA's keywords-in-refs, e.g. {@code if.x := 1}).
     */
    private boolean atKeyword(String s) {
        return tok().isIdent(s) && !startsRef(p);
    }

    /** Whether the token at {@code i} is immediately followed by {@code .} or {@code [}. */
    private boolean startsRef(int i) {
        Token t = tokens.get(i);
        Token n = tokens.get(Math.min(i + 1, tokens.size() - 1));
        return (n.is(TokenType.DOT) || n.is(TokenType.LBRACK)) && n.offset() == t.end();
    }

    private Token expect(TokenType t) {
        if (!at(t)) {
            throw error(
                    "unexpected " + tok().describe() + ": expected "
                            + (t.text() == null ? t.name().toLowerCase() : t.text()),
                    tok());
        }
        return next();
    }

    private Location loc(Token t) {
        return new Location(file, t.row(), t.col());
    }

    private RegoException error(String msg, Token t) {
        return new RegoException("rego_parse_error", msg, loc(t));
    }

    // ---------------------------------------------------------------- module

    private Module module() {
        while (!atKeyword("package")) {
            throw error(at(TokenType.EOF) ? "empty module" : "package expected", tok());
        }
        Token pkgTok = next();
        Term pkgTerm = refOnly();
        List<String> pkg = new ArrayList<>();
        if (pkgTerm instanceof Term.Var v) {
            pkg.add(v.name());
        } else if (pkgTerm instanceof Term.Ref r && r.head() instanceof Term.Var v) {
            pkg.add(v.name());
            for (Term t : r.path()) {
                if (!(t instanceof Term.Scalar s && s.value() instanceof StringValue str)) {
                    throw error("invalid package path", pkgTok);
                }
                pkg.add(str.value());
            }
        } else {
            throw error("invalid package path", pkgTok);
        }
        if (!pkg.isEmpty() && pkg.get(0).equals("data")) {
            pkg.remove(0);
        }
        List<Module.Import> imports = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        while (!at(TokenType.EOF)) {
            if (atKeyword("import")) {
                Token it = next();
                Term path = refOnly();
                Term.Ref ref = path instanceof Term.Ref r ? r : new Term.Ref(path.loc(), path, List.of());
                String alias = null;
                if (atKeyword("as")) {
                    next();
                    Token a = expect(TokenType.IDENT);
                    alias = a.text();
                }
                if (!(ref.head() instanceof Term.Var hv)
                        || !Set.of("data", "input", "future", "rego").contains(hv.name())) {
                    throw error("invalid import path: must begin with input or data", it);
                }
                if (hv.name().equals("future")) {
                    futureImport(ref, alias);
                } else if (hv.name().equals("rego")
                        && ref.path().size() == 1
                        && isString(ref.path().get(0), "v2")) {
                    // rego.v2: the improved `not`, and `and`/`or` where the experimental keywords are allowed
                    notBodies = true;
                    andKeyword |= experimentalKeywords;
                    orKeyword |= experimentalKeywords;
                }
                imports.add(new Module.Import(loc(it), ref, alias));
            } else if (atKeyword("package")) {
                throw error("unexpected package keyword", tok());
            } else {
                rules.add(rule());
            }
        }
        return new Module(
                file,
                loc(pkgTok),
                List.copyOf(pkg),
                imports,
                rules,
                src.contains("METADATA") ? Annotations.scan(file, src) : List.of());
    }

    private static boolean isString(Term t, String s) {
        return t instanceof Term.Scalar sc
                && sc.value() instanceof StringValue str
                && str.value().equals(s);
    }

    /** {@code import future.keywords[.kw]}: switches keywords on for the rest of the module (as OPA). */
    private void futureImport(Term.Ref ref, String alias) {
        List<Term> path = ref.path();
        if (path.isEmpty() || !isString(path.get(0), "keywords")) {
            throw new RegoException("rego_parse_error", "invalid import, must be `future.keywords`", ref.loc());
        }
        if (alias != null) {
            throw new RegoException("rego_parse_error", "`future` imports cannot be aliased", ref.loc());
        }
        List<String> allowed = experimentalKeywords ? FUTURE_KEYWORDS_EXPERIMENTAL : FUTURE_KEYWORDS;
        List<String> kws = allowed;
        if (path.size() == 2) {
            if (!(path.get(1) instanceof Term.Scalar sc && sc.value() instanceof StringValue kw)) {
                throw new RegoException(
                        "rego_parse_error",
                        "invalid import, must be `future.keywords.x`, e.g. `import future.keywords.in`",
                        ref.loc());
            }
            if (!allowed.contains(kw.value())) {
                throw new RegoException(
                        "rego_parse_error",
                        "unexpected keyword, must be one of [" + String.join(" ", allowed) + "]",
                        ref.loc());
            }
            kws = List.of(kw.value());
        }
        for (String kw : kws) {
            switch (kw) {
                case "and" -> andKeyword = true;
                case "or" -> orKeyword = true;
                case "not" -> notBodies = true;
                default -> {}
            }
        }
    }

    /** A reference made of identifiers, dots and brackets (package/import paths, rule heads). */
    private Term refOnly() {
        Token t = expect(TokenType.IDENT);
        Term head = new Term.Var(loc(t), t.text(), -1);
        List<Term> path = new ArrayList<>();
        while (true) {
            if (at(TokenType.DOT) && !tok().newlineBefore()) {
                next();
                Token f = expect(TokenType.IDENT);
                path.add(new Term.Scalar(loc(f), StringValue.of(f.text())));
            } else if (at(TokenType.LBRACK) && !tok().newlineBefore()) {
                next();
                path.add(termIn(false));
                expect(TokenType.RBRACK);
            } else {
                break;
            }
        }
        return path.isEmpty() ? head : new Term.Ref(head.loc(), head, path);
    }

    private Rule rule() {
        Token start = tok();
        boolean isDefault = false;
        if (atKeyword("default")) {
            next();
            isDefault = true;
        }
        if (!at(TokenType.IDENT) || (KEYWORDS.contains(tok().text()) && !atIdent("contains") && !startsRef(p))) {
            throw error("unexpected " + tok().describe(), tok());
        }
        Term headTerm = refOnly();
        Term.Ref ref = headTerm instanceof Term.Ref r ? r : new Term.Ref(headTerm.loc(), headTerm, List.of());
        List<Term> args = null;
        if (at(TokenType.LPAREN) && !tok().newlineBefore()) {
            next();
            args = new ArrayList<>();
            if (!at(TokenType.RPAREN)) {
                args.add(termIn(false));
                while (at(TokenType.COMMA)) {
                    next();
                    args.add(termIn(false));
                }
            }
            expect(TokenType.RPAREN);
        }
        Term key = null;
        Term value = null;
        boolean assign = false;
        if (atKeyword("contains")) {
            next();
            key = termIn(false);
        } else if (at(TokenType.ASSIGN) || at(TokenType.UNIFY)) {
            assign = next().is(TokenType.ASSIGN);
            value = termIn(false);
        }
        if (isDefault) {
            if (value == null) {
                throw error("default rule must have a value", start);
            }
            return new Rule(loc(start), true, ref, args, null, value, assign, trueBody(loc(start)), null);
        }
        if (at(TokenType.LBRACE) && !tok().newlineBefore()) {
            // a Rego v0 body (`p { ... }`, `p[x] { ... }`): v1 requires `if`, as OPA 1.x does
            throw error("`if` keyword is required before " + (args == null ? "rule" : "function") + " body", start);
        }
        Body body = ruleBody(loc(start));
        Rule elseRule = elseChain();
        return new Rule(loc(start), false, ref, args, key, value, assign, body, elseRule);
    }

    private Rule elseChain() {
        if (!atKeyword("else")) {
            return null;
        }
        Token e = next();
        Term value = null;
        boolean assign = false;
        if (at(TokenType.ASSIGN) || at(TokenType.UNIFY)) {
            assign = next().is(TokenType.ASSIGN);
            value = termIn(false);
        }
        Body body = ruleBody(loc(e));
        return new Rule(loc(e), false, null, null, null, value, assign, body, elseChain());
    }

    private Body ruleBody(Location loc) {
        if (atKeyword("if")) {
            next();
            if (at(TokenType.LBRACE)) {
                if (peek(1).is(TokenType.RBRACE)) {
                    // `p if {}` is an empty body, not the empty object as a condition
                    throw error("found empty body", tok());
                }
                int save = p;
                try {
                    Body b = braceBody();
                    if (atLogical()) {
                        // `if { a } or { b }`: the braces are the first operand
                        Expr ex = withs(chain(b, b.loc()));
                        return new Body(ex.loc(), List.of(ex));
                    }
                    return b;
                } catch (RegoException e) {
                    // `if {x: y | ...}`: a single expression that starts with a brace (as OPA accepts)
                    p = save;
                    try {
                        Expr ex = expr();
                        return new Body(ex.loc(), List.of(ex));
                    } catch (RegoException notATerm) {
                        // neither reading works: the one that got further names the mistake (`p if { x := }`
                        // is a body missing a value, not a set missing its `}`); an error about and/or/not
                        // inside the body says more than the term's
                        boolean termGotFurther = notATerm.location().row()
                                        > e.location().row()
                                || (notATerm.location().row() == e.location().row()
                                        && notATerm.location().col()
                                                > e.location().col());
                        throw termGotFurther && !logicalKeywords() && !notBodies ? notATerm : e;
                    }
                }
            }
            Expr ex = expr();
            return new Body(ex.loc(), List.of(ex));
        }
        if (at(TokenType.LBRACE) && !tok().newlineBefore()) {
            return braceBody();
        }
        return trueBody(loc);
    }

    private static Body trueBody(Location loc) {
        return new Body(
                loc,
                List.of(new Expr(loc, false, new Expr.TermExpr(new Term.Scalar(loc, BooleanValue.TRUE)), List.of())));
    }

    private Body braceBody() {
        Token open = expect(TokenType.LBRACE);
        Body b = bodyUntil(TokenType.RBRACE);
        if (b.exprs().isEmpty()) {
            throw error("found empty body", open);
        }
        expect(TokenType.RBRACE);
        return b;
    }

    /** Expressions up to (not including) the end token. */
    private Body bodyUntil(TokenType end) {
        Token first = tok();
        List<Expr> exprs = new ArrayList<>();
        while (!at(end)) {
            if (at(TokenType.SEMICOLON)) {
                next();
                continue;
            }
            Token before = tok();
            exprs.add(expr());
            if (at(end) || at(TokenType.SEMICOLON)) {
                continue;
            }
            if (!tok().newlineBefore() || at(TokenType.EOF)) {
                throw error(
                        "unexpected " + tok().describe() + ": expected \\n or ; or "
                                + (end.text() == null ? "eof" : end.text()),
                        tok());
            }
            if (tok() == before) {
                throw error("unexpected " + tok().describe(), tok());
            }
        }
        return new Body(loc(first), exprs);
    }

    // ---------------------------------------------------------------- expressions

    private Expr expr() {
        if (!andKeyword && !orKeyword && !notBodies) {
            return simpleExpr();
        }
        Token start = tok();
        if (logicalKeywords() && at(TokenType.LBRACE)) {
            // `{ body } and ...`: braces followed by and/or are an operand, otherwise a term
            int save = p;
            Body b = null;
            try {
                b = braceBody();
            } catch (RegoException e) {
                // not a body: read it as a term below
            }
            if (b != null && atLogical()) {
                checkUnion(save, b);
                return withs(chain(b, loc(start)));
            }
            p = save;
        }
        if (logicalKeywords() && at(TokenType.LPAREN)) {
            Body g = group(false);
            if (g != null) {
                return foldTail(g, start);
            }
        }
        if (atKeyword("some") || atKeyword("every")) {
            return simpleExpr();
        }
        boolean negated = atKeyword("not");
        if (negated) {
            next();
            Body nb = notOperand(start);
            if (nb != null) {
                return foldTail(nb, start);
            }
        }
        Expr e = exprCore(start, negated);
        Token w = tok();
        e = withs(e);
        if (atLogical()) {
            if (!e.withs().isEmpty()) {
                throw error("`with` modifier is not allowed on operand of `" + tok().text() + "`", w);
            }
            return withs(chain(new Body(e.loc(), List.of(e)), loc(start)));
        }
        return e;
    }

    /** After {@code not}: a {@code { body }} or a parenthesized group, when not-bodies are on. */
    private Body notOperand(Token start) {
        Body b = null;
        if (notBodies && at(TokenType.LBRACE)) {
            int open = p;
            b = braceBody();
            checkUnion(open, b);
        } else if (notBodies && logicalKeywords() && at(TokenType.LPAREN)) {
            b = group(true);
        }
        if (b == null) {
            return null;
        }
        Expr ne = new Expr(loc(start), true, new Expr.Logical(false, List.of(b)), List.of());
        return new Body(ne.loc(), List.of(ne));
    }

    private boolean logicalKeywords() {
        return andKeyword || orKeyword;
    }

    // in operator position `and`/`or` are always the keywords, `x and (y)` included; a call such as
    // `and(a, b)` (the set built-ins) can only stand where a term is expected
    private boolean atAnd() {
        return andKeyword && atKeyword("and");
    }

    private boolean atOr() {
        return orKeyword && atKeyword("or");
    }

    private boolean atLogical() {
        return atAnd() || atOr();
    }

    private Expr foldTail(Body b, Token start) {
        if (atLogical()) {
            return withs(chain(b, loc(start)));
        }
        return withs(b.exprs().get(0));
    }

    /** An or-chain of and-chains (and binds tighter), starting from the operand {@code first}. */
    private Expr chain(Body first, Location loc) {
        Body lhs = andChain(first, loc);
        if (!atOr()) {
            return lhs.exprs().get(0);
        }
        List<Body> ops = new ArrayList<>();
        ops.add(lhs);
        while (atOr()) {
            next();
            ops.add(andChain(operand("or"), loc));
        }
        ops.forEach(b -> checkVoidCalls(b, "or"));
        return new Expr(loc, false, new Expr.Logical(true, ops), List.of());
    }

    private Body andChain(Body first, Location loc) {
        if (!atAnd()) {
            return first;
        }
        List<Body> ops = new ArrayList<>();
        ops.add(first);
        while (atAnd()) {
            next();
            ops.add(operand("and"));
        }
        ops.forEach(b -> checkVoidCalls(b, "and"));
        Expr e = new Expr(loc, false, new Expr.Logical(false, ops), List.of());
        return new Body(loc, List.of(e));
    }

    /**
     * {@code { a | b }} as an operand reads as a body holding a set union, though it looks like a
     * comprehension; OPA refuses it (write {@code (a | b)} or {@code or(a, b)}). {@code open} is the
     * index of the brace token; the body's first expression must be a union whose {@code |} stands
     * outside any bracket (so neither {@code or(a, b)} nor {@code (a | b)}).
     */
    private void checkUnion(int open, Body b) {
        Expr first = b.exprs().get(0);
        if (first.negated()
                || !(first.kind() instanceof Expr.TermExpr te
                        && te.term() instanceof Term.Call c
                        && c.name().equals("or"))) {
            return;
        }
        int depth = 0;
        for (int i = open + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (depth == 0
                    && (t.is(TokenType.SEMICOLON) || t.is(TokenType.RBRACE) || (i > open + 1 && t.newlineBefore()))) {
                return;
            }
            switch (t.type()) {
                case LPAREN, LBRACK, LBRACE, TEMPLATE_START -> depth++;
                case RPAREN, RBRACK, RBRACE, TEMPLATE_END -> depth--;
                case OR -> {
                    if (depth == 0) {
                        throw error(
                                "ambiguous `{ ... | ... }` operand: read as a body holding a set-union expression,"
                                        + " not as a comprehension",
                                tokens.get(open));
                    }
                }
                default -> {}
            }
        }
    }

    /** An operand made only of {@code print} calls always succeeds, so it cannot be meant (OPA rejects it). */
    private void checkVoidCalls(Body b, String op) {
        for (Expr e : b.exprs()) {
            if (e.negated()
                    || !(e.kind() instanceof Expr.TermExpr te
                            && te.term() instanceof Term.Call c
                            && c.name().equals("print"))) {
                return;
            }
        }
        throw new RegoException(
                "rego_parse_error",
                "operand of `" + op + "` cannot consist only of calls to `print`",
                b.exprs().get(0).loc());
    }

    /** One operand of {@code and}/{@code or}: {@code { body }}, {@code [not] (group)} or {@code [not] expr}. */
    private Body operand(String op) {
        Token start = tok();
        explicitOperand = false;
        if (at(TokenType.LBRACE)) {
            int save = p;
            Body b;
            try {
                b = braceBody();
            } catch (RegoException e) {
                p = save;
                if (op.isEmpty() || peek(1).is(TokenType.RBRACE)) {
                    throw e;
                }
                try {
                    termIn(false, true);
                } catch (RegoException notATerm) {
                    throw e;
                }
                throw error("operand of `" + op + "` cannot begin with `{` unless the braces hold a body", start);
            }
            checkUnion(save, b);
            explicitOperand = true;
            return b;
        }
        boolean negated = atKeyword("not");
        if (negated) {
            next();
            Body nb = notOperand(start);
            if (nb != null) {
                return nb;
            }
        } else if (at(TokenType.LPAREN)) {
            Body g = group(true);
            if (g != null) {
                return g;
            }
        }
        Expr e = exprCore(start, negated);
        return new Body(e.loc(), List.of(e));
    }

    /**
     * A parenthesized group of and/or operands, {@code (a or b)}; null (nothing consumed) when the
     * parentheses hold a plain term such as {@code (a == b)}.
     */
    private Body group(boolean operandContext) {
        int save = p;
        Token open = next();
        if (at(TokenType.RPAREN)) {
            if (operandContext) {
                throw error("empty parenthesized group", open);
            }
            p = save;
            return null;
        }
        Body lhs;
        try {
            lhs = operand("");
        } catch (RegoException e) {
            p = save;
            return null;
        }
        if (atLogical()) {
            Expr e = withs(chain(lhs, loc(open)));
            if (!at(TokenType.RPAREN)) {
                throw error("expected ) to close parenthesized group", tok());
            }
            next();
            return new Body(e.loc(), List.of(e));
        }
        if (atKeyword("with") && !explicitOperand && lhs.exprs().size() == 1) {
            // `(a with x as y)`: the modifier binds to the single operand
            Token w = tok();
            Expr e = withs(lhs.exprs().get(0));
            if (atLogical()) {
                throw error("`with` modifier is not allowed on operand of `" + tok().text() + "`", w);
            }
            if (!at(TokenType.RPAREN)) {
                throw error("expected ) to close parenthesized group", tok());
            }
            next();
            if (operandContext || atLogical()) {
                return new Body(e.loc(), List.of(e));
            }
            p = save;
            return null;
        }
        boolean nested = lhs.exprs().size() == 1
                && !explicitOperand
                && (lhs.exprs().get(0).negated() || lhs.exprs().get(0).kind() instanceof Expr.Logical);
        if (nested && at(TokenType.RPAREN)) {
            next();
            return lhs;
        }
        p = save;
        return null;
    }

    private Expr exprCore(Token start, boolean negated) {
        Term lhs = termIn(false, true);
        if (at(TokenType.UNIFY) || at(TokenType.ASSIGN)) {
            String op = next().is(TokenType.ASSIGN) ? "assign" : "eq";
            Term rhs = termIn(false);
            lhs = new Term.Call(lhs.loc(), op, List.of(lhs, rhs), null);
        }
        return new Expr(loc(start), negated, new Expr.TermExpr(lhs), List.of());
    }

    private Expr simpleExpr() {
        Token start = tok();
        if (atKeyword("some")) {
            return withs(someDecl());
        }
        if (atKeyword("every")) {
            return withs(every());
        }
        boolean negated = false;
        if (atKeyword("not")) {
            next();
            negated = true;
        }
        Term lhs = termIn(false, true);
        if (at(TokenType.UNIFY) || at(TokenType.ASSIGN)) {
            String op = next().is(TokenType.ASSIGN) ? "assign" : "eq";
            Term rhs = termIn(false);
            lhs = new Term.Call(lhs.loc(), op, List.of(lhs, rhs), null);
        }
        return withs(new Expr(loc(start), negated, new Expr.TermExpr(lhs), List.of()));
    }

    private Expr withs(Expr e) {
        if (!atKeyword("with")) {
            return e;
        }
        List<Expr.With> ws = new ArrayList<>();
        while (atKeyword("with")) {
            Token w = next();
            Term target = refOnly();
            if (!atKeyword("as")) {
                throw error("unexpected " + tok().describe() + ": expected as", tok());
            }
            next();
            Term value = termIn(false);
            ws.add(new Expr.With(loc(w), target, value));
        }
        return new Expr(e.loc(), e.negated(), e.kind(), ws);
    }

    private Expr someDecl() {
        Token s = next();
        Term first = relation(false);
        Term second = null;
        if (at(TokenType.COMMA)) {
            List<Term> terms = new ArrayList<>();
            terms.add(first);
            while (at(TokenType.COMMA)) {
                next();
                terms.add(relation(false));
            }
            if (atKeyword("in")) {
                if (terms.size() != 2) {
                    throw error("unexpected in keyword", tok());
                }
                second = terms.get(1);
            } else {
                List<Term.Var> vars = new ArrayList<>();
                for (Term t : terms) {
                    if (!(t instanceof Term.Var v)) {
                        throw error("expected var in some declaration", s);
                    }
                    vars.add(v);
                }
                return new Expr(loc(s), false, new Expr.SomeVars(vars), List.of());
            }
        }
        if (atKeyword("in")) {
            next();
            Term coll = relation(false);
            Term key = second == null ? null : first;
            Term value = second == null ? first : second;
            return new Expr(loc(s), false, new Expr.SomeIn(key, value, coll), List.of());
        }
        if (!(first instanceof Term.Var v)) {
            throw error("expected var in some declaration", s);
        }
        return new Expr(loc(s), false, new Expr.SomeVars(List.of(v)), List.of());
    }

    private Expr every() {
        Token s = next();
        Term first = relation(false);
        Term key = null;
        Term value = first;
        if (at(TokenType.COMMA)) {
            next();
            key = first;
            value = relation(false);
        }
        if (!atKeyword("in")) {
            throw error("unexpected " + tok().describe() + ": expected in", tok());
        }
        next();
        Term domain = relation(false);
        Body body = braceBody();
        return new Expr(loc(s), false, new Expr.Every(key, value, domain, body), List.of());
    }

    // ---------------------------------------------------------------- terms

    /** {@code in}-level infix; noOr stops at a top-level {@code |} (comprehension separator). */
    private Term termIn(boolean noOr) {
        return termIn(noOr, false);
    }

    /** With keyVal, {@code k, v in xs} is accepted (expression level and inside parentheses). */
    private Term termIn(boolean noOr, boolean keyVal) {
        Term lhs = relation(noOr);
        if (keyVal && at(TokenType.COMMA)) {
            int save = p;
            next();
            Term mid = relation(noOr);
            if (atKeyword("in")) {
                next();
                Term rhs = relation(noOr);
                lhs = new Term.Call(lhs.loc(), "internal.member_3", List.of(lhs, mid, rhs), null);
            } else {
                p = save;
            }
        }
        while (atKeyword("in")) {
            next();
            Term rhs = relation(noOr);
            lhs = new Term.Call(lhs.loc(), "internal.member_2", List.of(lhs, rhs), null);
        }
        return lhs;
    }

    private Term relation(boolean noOr) {
        Term lhs = or(noOr);
        while (true) {
            String op = switch (tok().type()) {
                case EQ -> "equal";
                case NEQ -> "neq";
                case LT -> "lt";
                case GT -> "gt";
                case LTE -> "lte";
                case GTE -> "gte";
                default -> null;
            };
            if (op == null) {
                return lhs;
            }
            next();
            Term rhs = or(noOr);
            lhs = new Term.Call(lhs.loc(), op, List.of(lhs, rhs), null);
        }
    }

    private Term or(boolean noOr) {
        Term lhs = and();
        while (at(TokenType.OR) && !noOr) {
            next();
            Term rhs = and();
            lhs = new Term.Call(lhs.loc(), "or", List.of(lhs, rhs), null);
        }
        return lhs;
    }

    private Term and() {
        Term lhs = arith();
        while (at(TokenType.AND)) {
            next();
            Term rhs = arith();
            lhs = new Term.Call(lhs.loc(), "and", List.of(lhs, rhs), null);
        }
        return lhs;
    }

    private Term arith() {
        Term lhs = factor();
        while (at(TokenType.PLUS) || at(TokenType.MINUS)) {
            String op = next().is(TokenType.PLUS) ? "plus" : "minus";
            Term rhs = factor();
            lhs = new Term.Call(lhs.loc(), op, List.of(lhs, rhs), null);
        }
        return lhs;
    }

    private Term factor() {
        Term lhs = term();
        while (at(TokenType.STAR) || at(TokenType.SLASH) || at(TokenType.PERCENT)) {
            Token o = next();
            String op = o.is(TokenType.STAR) ? "mul" : o.is(TokenType.SLASH) ? "div" : "rem";
            Term rhs = term();
            lhs = new Term.Call(lhs.loc(), op, List.of(lhs, rhs), null);
        }
        return lhs;
    }

    private Term term() {
        Token t = tok();
        Location l = loc(t);
        Term base;
        switch (t.type()) {
            case NUMBER -> {
                next();
                base = number(t.text(), t);
            }
            case STRING -> {
                next();
                base = new Term.Scalar(l, StringValue.of(t.text()));
            }
            case MINUS -> {
                next();
                Token n = tok();
                if (n.is(TokenType.NUMBER) && n.offset() == t.end()) {
                    next();
                    base = number("-" + n.text(), n);
                } else {
                    Term operand = term();
                    return new Term.Call(l, "minus", List.of(new Term.Scalar(l, NumberValue.of(0)), operand), null);
                }
            }
            case IDENT -> {
                boolean ref = startsRef(p);
                next();
                switch (ref ? "" : t.text()) {
                    case "true" -> base = new Term.Scalar(l, BooleanValue.TRUE);
                    case "false" -> base = new Term.Scalar(l, BooleanValue.FALSE);
                    case "null" -> base = new Term.Scalar(l, NullValue.INSTANCE);
                    default -> {
                        if (!ref && KEYWORDS.contains(t.text()) && !t.text().equals("contains")) {
                            throw error("unexpected " + t.text() + " keyword", t);
                        }
                        if (t.text().equals("set") && at(TokenType.LPAREN) && peek(1).is(TokenType.RPAREN)) {
                            next();
                            next();
                            base = new Term.SetTerm(l, List.of());
                        } else if (t.text().equals("_")) {
                            base = new Term.Var(l, "$" + (wildcards++), -1);
                        } else {
                            base = new Term.Var(l, t.text(), -1);
                        }
                    }
                }
            }
            case TEMPLATE_START -> {
                return template();
            }
            case LBRACK -> base = arrayOrCompr();
            case LBRACE -> base = braceTerm();
            case LPAREN -> {
                next();
                base = termIn(false, true);
                expect(TokenType.RPAREN);
            }
            default -> throw error("unexpected " + t.describe(), t);
        }
        return postfix(base);
    }

    /**
     * A template string, lowered as OPA's compiler does: {@code internal.template_string([parts])}
     * where literal parts and scalar expressions stay as they are and every other expression
     * {@code e} becomes the set {@code {v | v = e}} (empty when e is undefined, rendered
     * {@code <undefined>}; more than one element is a conflict at evaluation).
     */
    private Term template() {
        Location l = loc(next());
        List<Term> parts = new ArrayList<>();
        while (true) {
            Token t = next();
            if (!t.text().isEmpty()) {
                parts.add(new Term.Scalar(loc(t), StringValue.of(t.text())));
            }
            if (t.is(TokenType.TEMPLATE_END)) {
                break;
            }
            if (at(TokenType.TEMPLATE_PART) || at(TokenType.TEMPLATE_END)) {
                throw error("invalid template-string expression", tok());
            }
            Expr e = expr();
            String bad = null;
            if (e.negated()) {
                bad = "negation ('not')";
            } else if (e.kind() instanceof Expr.SomeVars || e.kind() instanceof Expr.SomeIn) {
                bad = "'some'";
            } else if (e.kind() instanceof Expr.Every) {
                bad = "'every'";
            } else if (e.kind() instanceof Expr.TermExpr te
                    && te.term() instanceof Term.Call c
                    && (c.name().equals("eq") || c.name().equals("assign"))) {
                bad = c.name().equals("eq") ? "unification ('=')" : "assignment (':=')";
            }
            if (bad != null) {
                throw new RegoException(
                        "rego_parse_error", "unexpected " + bad + " in template-string expression", e.loc());
            }
            if (!(e.kind() instanceof Expr.TermExpr te)) {
                throw new RegoException("rego_parse_error", "invalid template-string expression", e.loc());
            }
            if (!at(TokenType.TEMPLATE_PART) && !at(TokenType.TEMPLATE_END)) {
                throw error("expected } to end template string expression", tok());
            }
            if (te.term() instanceof Term.Scalar && e.withs().isEmpty()) {
                parts.add(te.term());
            } else {
                Term.Var v = new Term.Var(e.loc(), "#tmpl" + (templateVars++), -1);
                Expr bind = new Expr(
                        e.loc(),
                        false,
                        new Expr.TermExpr(new Term.Call(e.loc(), "eq", List.of(v, te.term()), null)),
                        e.withs());
                parts.add(new Term.SetCompr(e.loc(), v, new Body(e.loc(), List.of(bind))));
            }
        }
        return new Term.Call(l, "internal.template_string", List.of(new Term.ArrayTerm(l, parts)), null);
    }

    private Term number(String text, Token t) {
        try {
            return new Term.Scalar(loc(t), NumberValue.of(text));
        } catch (NumberFormatException e) {
            throw error("invalid number " + text, t);
        }
    }

    private Term postfix(Term base) {
        List<Term> path = null;
        Term head = base;
        while (true) {
            Token t = tok();
            if (t.is(TokenType.DOT) && !t.newlineBefore() && !(head instanceof Term.Scalar)) {
                next();
                Token f = expect(TokenType.IDENT);
                if (path == null) {
                    path = new ArrayList<>();
                }
                path.add(new Term.Scalar(loc(f), StringValue.of(f.text())));
            } else if (t.is(TokenType.LBRACK) && !t.newlineBefore() && !(head instanceof Term.Scalar)) {
                next();
                if (path == null) {
                    path = new ArrayList<>();
                }
                path.add(termIn(false));
                expect(TokenType.RBRACK);
            } else if (t.is(TokenType.LPAREN) && !t.newlineBefore() && isCallable(head, path)) {
                next();
                List<Term> args = new ArrayList<>();
                if (!at(TokenType.RPAREN)) {
                    args.add(termIn(false));
                    while (at(TokenType.COMMA)) {
                        next();
                        if (at(TokenType.RPAREN)) {
                            break;
                        }
                        args.add(termIn(false));
                    }
                }
                expect(TokenType.RPAREN);
                String name = callName(head, path);
                head = new Term.Call(head.loc(), name, args, null);
                path = null;
            } else {
                break;
            }
        }
        return path == null ? head : new Term.Ref(head.loc(), head, path);
    }

    private static boolean isCallable(Term head, List<Term> path) {
        if (!(head instanceof Term.Var)) {
            return false;
        }
        if (path == null) {
            return true;
        }
        for (Term t : path) {
            if (!(t instanceof Term.Scalar s && s.value() instanceof StringValue)) {
                return false;
            }
        }
        return true;
    }

    private static String callName(Term head, List<Term> path) {
        StringBuilder sb = new StringBuilder(((Term.Var) head).name());
        if (path != null) {
            for (Term t : path) {
                sb.append('.').append(((StringValue) ((Term.Scalar) t).value()).value());
            }
        }
        return sb.toString();
    }

    private Term arrayOrCompr() {
        Token open = next();
        Location l = loc(open);
        if (at(TokenType.RBRACK)) {
            next();
            return new Term.ArrayTerm(l, List.of());
        }
        Term first = termIn(true);
        if (at(TokenType.OR)) {
            next();
            Body body = comprehensionBody(open, TokenType.RBRACK);
            return new Term.ArrayCompr(l, first, body);
        }
        List<Term> items = new ArrayList<>();
        items.add(first);
        while (at(TokenType.COMMA)) {
            next();
            if (at(TokenType.RBRACK)) {
                break;
            }
            items.add(termIn(false));
        }
        expect(TokenType.RBRACK);
        return new Term.ArrayTerm(l, items);
    }

    /** The body of a comprehension after its {@code |}, up to and including the closing token. */
    private Body comprehensionBody(Token open, TokenType close) {
        Body body = bodyUntil(close);
        if (body.exprs().isEmpty()) {
            throw error("found empty body", open);
        }
        expect(close);
        return body;
    }

    private Term braceTerm() {
        Token open = next();
        Location l = loc(open);
        if (at(TokenType.RBRACE)) {
            next();
            return new Term.ObjectTerm(l, List.of(), List.of());
        }
        Term first = termIn(true);
        if (at(TokenType.OR)) {
            next();
            Body body = comprehensionBody(open, TokenType.RBRACE);
            return new Term.SetCompr(l, first, body);
        }
        if (at(TokenType.COLON)) {
            next();
            Term v = termIn(true);
            if (at(TokenType.OR)) {
                next();
                Body body = comprehensionBody(open, TokenType.RBRACE);
                return new Term.ObjectCompr(l, first, v, body);
            }
            List<Term> keys = new ArrayList<>();
            List<Term> values = new ArrayList<>();
            keys.add(first);
            values.add(v);
            while (at(TokenType.COMMA)) {
                next();
                if (at(TokenType.RBRACE)) {
                    break;
                }
                keys.add(termIn(false));
                expect(TokenType.COLON);
                values.add(termIn(false));
            }
            expect(TokenType.RBRACE);
            return new Term.ObjectTerm(l, keys, values);
        }
        List<Term> items = new ArrayList<>();
        items.add(first);
        while (at(TokenType.COMMA)) {
            next();
            if (at(TokenType.RBRACE)) {
                break;
            }
            items.add(termIn(false));
        }
        expect(TokenType.RBRACE);
        return new Term.SetTerm(l, items);
    }
}
