package io.opsmcp.rego.lexer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits Rego source into tokens (after OPA's {@code ast/internal/scanner}). Comments are dropped;
 * line breaks are recorded on the following token rather than emitted.
 */
public final class Lexer {
  private final String src;
  private int pos;
  private int row = 1;
  private int lineStart;

  private Lexer(String src) {
    this.src = src;
  }

  /** Tokenizes the whole source; the last token is EOF. @throws LexException on bad input */
  public static List<Token> tokenize(String src) {
    return new Lexer(src).run();
  }

  private List<Token> run() {
    List<Token> out = new ArrayList<>();
    while (true) {
      boolean nl = skipSpace();
      int startRow = row;
      int startCol = pos - lineStart + 1;
      int start = pos;
      if (pos >= src.length()) {
        out.add(new Token(TokenType.EOF, "", startRow, startCol, start, start, true));
        return out;
      }
      char c = src.charAt(pos);
      if (Character.isLetter(c) || c == '_') {
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
          pos++;
        }
        out.add(new Token(TokenType.IDENT, src.substring(start, pos), startRow, startCol, start, pos, nl));
      } else if (Character.isDigit(c)) {
        scanNumber();
        out.add(new Token(TokenType.NUMBER, src.substring(start, pos), startRow, startCol, start, pos, nl));
      } else if (c == '"') {
        String s = scanString(startRow, startCol);
        out.add(new Token(TokenType.STRING, s, startRow, startCol, start, pos, nl));
      } else if (c == '`') {
        int close = src.indexOf('`', pos + 1);
        if (close < 0) {
          throw new LexException("non-terminated raw string", startRow, startCol);
        }
        String s = src.substring(pos + 1, close);
        for (int i = pos; i < close; i++) {
          if (src.charAt(i) == '\n') {
            row++;
            lineStart = i + 1;
          }
        }
        pos = close + 1;
        out.add(new Token(TokenType.STRING, s, startRow, startCol, start, pos, nl));
      } else {
        TokenType t = punct(c);
        if (t == null) {
          throw new LexException("illegal token '" + c + "'", startRow, startCol);
        }
        out.add(new Token(t, t.text(), startRow, startCol, start, pos, nl));
      }
    }
  }

  private boolean skipSpace() {
    boolean nl = false;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\n') {
        nl = true;
        pos++;
        row++;
        lineStart = pos;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else if (c == '#') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        break;
      }
    }
    return nl;
  }

  private void scanNumber() {
    while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
      pos++;
    }
    if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
      pos++;
      while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
        pos++;
      }
    }
    if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
          pos++;
        }
      } else {
        pos = save;
      }
    }
  }

  private String scanString(int startRow, int startCol) {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= src.length() || src.charAt(pos) == '\n') {
        throw new LexException("non-terminated string", startRow, startCol);
      }
      char c = src.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= src.length()) {
        throw new LexException("non-terminated string", startRow, startCol);
      }
      char e = src.charAt(pos++);
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > src.length()) {
            throw new LexException("illegal escape sequence", startRow, startCol);
          }
          try {
            sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw new LexException("illegal escape sequence", startRow, startCol);
          }
          pos += 4;
        }
        default -> throw new LexException("illegal escape sequence", startRow, startCol);
      }
    }
  }

  private TokenType punct(char c) {
    char n = pos + 1 < src.length() ? src.charAt(pos + 1) : 0;
    TokenType two = switch (c) {
      case ':' -> n == '=' ? TokenType.ASSIGN : null;
      case '=' -> n == '=' ? TokenType.EQ : null;
      case '!' -> n == '=' ? TokenType.NEQ : null;
      case '<' -> n == '=' ? TokenType.LTE : null;
      case '>' -> n == '=' ? TokenType.GTE : null;
      default -> null;
    };
    if (two != null) {
      pos += 2;
      return two;
    }
    TokenType one = switch (c) {
      case '{' -> TokenType.LBRACE;
      case '}' -> TokenType.RBRACE;
      case '[' -> TokenType.LBRACK;
      case ']' -> TokenType.RBRACK;
      case '(' -> TokenType.LPAREN;
      case ')' -> TokenType.RPAREN;
      case '.' -> TokenType.DOT;
      case ',' -> TokenType.COMMA;
      case ';' -> TokenType.SEMICOLON;
      case ':' -> TokenType.COLON;
      case '|' -> TokenType.OR;
      case '&' -> TokenType.AND;
      case '+' -> TokenType.PLUS;
      case '-' -> TokenType.MINUS;
      case '*' -> TokenType.STAR;
      case '/' -> TokenType.SLASH;
      case '%' -> TokenType.PERCENT;
      case '=' -> TokenType.UNIFY;
      case '<' -> TokenType.LT;
      case '>' -> TokenType.GT;
      default -> null;
    };
    if (one != null) {
      pos++;
    }
    return one;
  }
}
