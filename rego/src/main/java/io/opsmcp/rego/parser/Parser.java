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
      "as", "default", "else", "false", "import", "package", "not", "null", "true", "with",
      "some", "in", "every", "contains", "if");

  private final String file;
  private final String src;
  private final List<Token> tokens;
  private int p;
  private int wildcards;
  /** {@code not { body }} is on ({@code import rego.v2} or {@code import future.keywords.not}). */
  private boolean notBodies;

  private Parser(String file, String src) {
    this.file = file;
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

  private Token expect(TokenType t) {
    if (!at(t)) {
      throw error("unexpected " + tok().describe() + ": expected " + (t.text() == null ? t.name().toLowerCase() : t.text()), tok());
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
    while (!atIdent("package")) {
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
      if (atIdent("import")) {
        Token it = next();
        Term path = refOnly();
        Term.Ref ref = path instanceof Term.Ref r ? r : new Term.Ref(path.loc(), path, List.of());
        String alias = null;
        if (atIdent("as")) {
          next();
          Token a = expect(TokenType.IDENT);
          alias = a.text();
        }
        if (!(ref.head() instanceof Term.Var hv)
            || !Set.of("data", "input", "future", "rego").contains(hv.name())) {
          throw error("invalid import path: must begin with input or data", it);
        }
        imports.add(new Module.Import(loc(it), ref, alias));
        String imp = ref.toString();
        notBodies |= imp.equals("rego.v2") || imp.equals("future.keywords.not") || imp.equals("future.keywords");
      } else if (atIdent("package")) {
        throw error("unexpected package keyword", tok());
      } else {
        rules.add(rule());
      }
    }
    return new Module(file, loc(pkgTok), List.copyOf(pkg), imports, rules,
        src.contains("METADATA") ? Annotations.scan(file, src) : List.of());
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
    if (atIdent("default")) {
      next();
      isDefault = true;
    }
    if (!at(TokenType.IDENT) || (KEYWORDS.contains(tok().text()) && !atIdent("contains"))) {
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
    if (atIdent("contains")) {
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
    Body body = ruleBody(loc(start));
    Rule elseRule = elseChain();
    return new Rule(loc(start), false, ref, args, key, value, assign, body, elseRule);
  }

  private Rule elseChain() {
    if (!atIdent("else")) {
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
    if (atIdent("if")) {
      next();
      if (at(TokenType.LBRACE)) {
        int save = p;
        try {
          return braceBody();
        } catch (RegoException e) {
          // `if {x: y | ...}`: a single expression that starts with a brace (as OPA accepts)
          p = save;
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
    return new Body(loc, List.of(new Expr(loc, false,
        new Expr.TermExpr(new Term.Scalar(loc, BooleanValue.TRUE)), List.of())));
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
        throw error("unexpected " + tok().describe() + ": expected \\n or ; or " + (end.text() == null ? "eof" : end.text()), tok());
      }
      if (tok() == before) {
        throw error("unexpected " + tok().describe(), tok());
      }
    }
    return new Body(loc(first), exprs);
  }

  // ---------------------------------------------------------------- expressions

  private Expr expr() {
    Token start = tok();
    if (atIdent("some")) {
      return withs(someDecl());
    }
    if (atIdent("every")) {
      return withs(every());
    }
    boolean negated = false;
    if (atIdent("not")) {
      next();
      negated = true;
      if (notBodies && at(TokenType.LBRACE)) {
        // `not { a; b }` is true when the body has no solution: negate `[true | a; b][0]`, whose
        // comprehension scopes the body's own variables as a negation does
        Location l = loc(start);
        Body body = braceBody();
        Term first = new Term.Ref(l, new Term.ArrayCompr(l, new Term.Scalar(l, BooleanValue.TRUE), body),
            List.of(new Term.Scalar(l, NumberValue.of(0))));
        return withs(new Expr(l, true, new Expr.TermExpr(first), List.of()));
      }
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
    if (!atIdent("with")) {
      return e;
    }
    List<Expr.With> ws = new ArrayList<>();
    while (atIdent("with")) {
      Token w = next();
      Term target = refOnly();
      if (!atIdent("as")) {
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
      if (atIdent("in")) {
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
    if (atIdent("in")) {
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
    if (!atIdent("in")) {
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
      if (atIdent("in")) {
        next();
        Term rhs = relation(noOr);
        lhs = new Term.Call(lhs.loc(), "internal.member_3", List.of(lhs, mid, rhs), null);
      } else {
        p = save;
      }
    }
    while (atIdent("in")) {
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
        next();
        switch (t.text()) {
          case "true" -> base = new Term.Scalar(l, BooleanValue.TRUE);
          case "false" -> base = new Term.Scalar(l, BooleanValue.FALSE);
          case "null" -> base = new Term.Scalar(l, NullValue.INSTANCE);
          default -> {
            if (KEYWORDS.contains(t.text()) && !t.text().equals("contains")) {
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
      Body body = bodyUntil(TokenType.RBRACK);
      expect(TokenType.RBRACK);
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
      Body body = bodyUntil(TokenType.RBRACE);
      expect(TokenType.RBRACE);
      return new Term.SetCompr(l, first, body);
    }
    if (at(TokenType.COLON)) {
      next();
      Term v = termIn(true);
      if (at(TokenType.OR)) {
        next();
        Body body = bodyUntil(TokenType.RBRACE);
        expect(TokenType.RBRACE);
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
