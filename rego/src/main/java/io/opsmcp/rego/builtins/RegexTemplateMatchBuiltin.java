package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.BOOLEAN;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.BooleanValue;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * regex.template_match(template, value, delimiter_start, delimiter_end): whether value matches a
 * template whose delimited parts are regular expressions and whose other parts are literal (OPA's
 * {@code regex_template.go}, forked from gorilla/mux): e.g. {@code urn:foo:<.*>} with {@code <}
 * and {@code >}. Delimiters are single characters; unbalanced ones are a built-in error.
 */
final class RegexTemplateMatchBuiltin {
  private RegexTemplateMatchBuiltin() {}

  static List<Builtin> all() {
    return List.of(Builtin.simple("regex.template_match", args(STRING, STRING, STRING, STRING), BOOLEAN, (a, c) -> {
      String tpl = Operands.string(a, 0);
      String value = Operands.string(a, 1);
      char start = delimiter(Operands.string(a, 2), "start");
      char end = delimiter(Operands.string(a, 3), "end");
      return BooleanValue.of(RegexBuiltins.compile(pattern(tpl, start, end)).matcher(value).matches());
    }));
  }

  private static char delimiter(String d, String which) {
    if (d.length() != 1) {
      throw new BuiltinError(which + " delimiter has to be exactly one character long but is " + d.length() + " long");
    }
    return d.charAt(0);
  }

  /** The whole-string regex: literal text quoted, each first-level delimited part as a group. */
  static String pattern(String tpl, char start, char end) {
    List<int[]> parts = new ArrayList<>();
    int level = 0;
    int from = 0;
    for (int i = 0; i < tpl.length(); i++) {
      char ch = tpl.charAt(i);
      if (ch == start) {
        if (++level == 1) {
          from = i;
        }
      } else if (ch == end) {
        if (--level == 0) {
          parts.add(new int[] {from, i + 1});
        } else if (level < 0) {
          throw new BuiltinError("unbalanced braces in " + GoQuote.quote(tpl));
        }
      }
    }
    if (level != 0) {
      throw new BuiltinError("unbalanced braces in " + GoQuote.quote(tpl));
    }
    StringBuilder sb = new StringBuilder();
    int last = 0;
    for (int[] p : parts) {
      String raw = tpl.substring(last, p[0]);
      if (!raw.isEmpty()) {
        sb.append(Pattern.quote(raw));
      }
      String inner = tpl.substring(p[0] + 1, p[1] - 1);
      RegexBuiltins.compile(inner);
      sb.append('(').append(inner).append(')');
      last = p[1];
    }
    if (last < tpl.length()) {
      sb.append(Pattern.quote(tpl.substring(last)));
    }
    return sb.toString();
  }
}
