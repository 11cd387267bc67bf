package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.BooleanValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * regex.globs_match(g1, g2): whether two glob-like patterns match at least one common string
 * (OPA uses github.com/yashtewari/glob-intersection). The syntax is a restricted regex: literal
 * characters, {@code \}-escapes, {@code .} (any character), classes {@code [a-z0-9]} and
 * {@code [^...]}, each optionally followed by {@code *}, {@code +} or {@code ?}. Decided on the
 * product of the two patterns' automata: a common accepted string exists iff both ends are
 * reachable together.
 */
final class GlobsMatchBuiltin {
  private GlobsMatchBuiltin() {}

  static List<Builtin> all() {
    return List.of(Builtin.simple("regex.globs_match", args(Type.STRING, Type.STRING), Type.BOOLEAN,
        (a, c) -> BooleanValue.of(intersect(tokens(Operands.string(a, 0)), tokens(Operands.string(a, 1))))));
  }

  /** A set of code points as sorted, disjoint inclusive ranges. */
  private record CharSet(List<int[]> ranges) {
    static final CharSet ANY = new CharSet(List.of(new int[] {0, Character.MAX_CODE_POINT}));

    static CharSet of(int c) {
      return new CharSet(List.of(new int[] {c, c}));
    }

    boolean overlaps(CharSet o) {
      for (int[] a : ranges) {
        for (int[] b : o.ranges) {
          if (a[0] <= b[1] && b[0] <= a[1]) {
            return true;
          }
        }
      }
      return false;
    }

    CharSet complement() {
      List<int[]> sorted = new ArrayList<>(ranges);
      sorted.sort((x, y) -> Integer.compare(x[0], y[0]));
      List<int[]> out = new ArrayList<>();
      int next = 0;
      for (int[] r : sorted) {
        if (r[0] > next) {
          out.add(new int[] {next, r[0] - 1});
        }
        next = Math.max(next, r[1] + 1);
      }
      if (next <= Character.MAX_CODE_POINT) {
        out.add(new int[] {next, Character.MAX_CODE_POINT});
      }
      return new CharSet(out);
    }
  }

  /** One pattern element: a character set and whether it may repeat / be skipped. */
  private record Token(CharSet set, boolean repeat, boolean optional) {}

  private static List<Token> tokens(String p) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int[] cps = p.codePoints().toArray();
    while (i < cps.length) {
      CharSet set;
      int c = cps[i];
      if (c == '\\') {
        if (i + 1 >= cps.length) {
          throw new BuiltinError("invalid glob " + GoQuote.quote(p) + ": trailing backslash");
        }
        set = CharSet.of(cps[i + 1]);
        i += 2;
      } else if (c == '.') {
        set = CharSet.ANY;
        i++;
      } else if (c == '[') {
        int j = i + 1;
        boolean negate = j < cps.length && cps[j] == '^';
        if (negate) {
          j++;
        }
        List<int[]> ranges = new ArrayList<>();
        boolean closed = false;
        while (j < cps.length) {
          int lo = cps[j];
          if (lo == ']' && !ranges.isEmpty()) {
            closed = true;
            break;
          }
          if (lo == '\\' && j + 1 < cps.length) {
            lo = cps[++j];
          }
          int hi = lo;
          if (j + 2 < cps.length && cps[j + 1] == '-' && cps[j + 2] != ']') {
            hi = cps[j + 2] == '\\' && j + 3 < cps.length ? cps[j + 3] : cps[j + 2];
            j += cps[j + 2] == '\\' ? 3 : 2;
          }
          if (hi < lo) {
            throw new BuiltinError("invalid glob " + GoQuote.quote(p) + ": bad character range");
          }
          ranges.add(new int[] {lo, hi});
          j++;
        }
        if (!closed) {
          throw new BuiltinError("invalid glob " + GoQuote.quote(p) + ": unclosed character class");
        }
        set = negate ? new CharSet(ranges).complement() : new CharSet(ranges);
        i = j + 1;
      } else if (c == '*' || c == '+' || c == '?') {
        throw new BuiltinError("invalid glob " + GoQuote.quote(p) + ": quantifier without a preceding character");
      } else {
        set = CharSet.of(c);
        i++;
      }
      char q = i < cps.length && (cps[i] == '*' || cps[i] == '+' || cps[i] == '?') ? (char) cps[i++] : 0;
      if (q == '+') {
        out.add(new Token(set, false, false));
        out.add(new Token(set, true, true));
      } else {
        out.add(new Token(set, q == '*', q == '*' || q == '?'));
      }
    }
    return out;
  }

  /** Positions reachable from {@code i} without consuming (skipping optional tokens). */
  private static List<Integer> closure(List<Token> t, int i) {
    List<Integer> out = new ArrayList<>();
    out.add(i);
    while (i < t.size() && t.get(i).optional()) {
      out.add(++i);
    }
    return out;
  }

  private static boolean intersect(List<Token> a, List<Token> b) {
    Set<Long> seen = new HashSet<>();
    Deque<int[]> work = new ArrayDeque<>();
    work.add(new int[] {0, 0});
    while (!work.isEmpty()) {
      int[] s = work.poll();
      for (int i : closure(a, s[0])) {
        for (int j : closure(b, s[1])) {
          if (!seen.add(((long) i << 32) | j)) {
            continue;
          }
          if (i == a.size() && j == b.size()) {
            return true;
          }
          if (i < a.size() && j < b.size() && a.get(i).set().overlaps(b.get(j).set())) {
            // consume one common character: a repeating token may stay where it is
            int[] ni = a.get(i).repeat() ? new int[] {i, i + 1} : new int[] {i + 1};
            int[] nj = b.get(j).repeat() ? new int[] {j, j + 1} : new int[] {j + 1};
            for (int x : ni) {
              for (int y : nj) {
                work.add(new int[] {x, y});
              }
            }
          }
        }
      }
    }
    return false;
  }
}
