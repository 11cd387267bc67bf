package io.opsmcp.rego.builtins;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether two regex-like globs (characters, {@code .}, {@code [set]} with ranges, each optionally followed by
 * {@code *} or {@code +}, {@code \} escaping) match a common non-empty string: the algorithm and error texts of
 * github.com/yashtewari/glob-intersection v0.2 ({@code NonEmpty}), which OPA's regex.globs_match uses.
 *
 * <p>The library's recursion is exponential in the worst case ({@code a*a*a*...} against a long literal); the
 * functions here are pure in their positions, so they are memoised, which makes the search polynomial. Globs
 * longer than {@value #MAX_TOKENS} tokens are refused so the recursion depth stays bounded.
 */
final class GlobIntersection {
    static final int MAX_TOKENS = 5_000;

    private static final int NONE = 0;
    private static final int PLUS = 1;
    private static final int STAR = 2;

    /** A token: a character, any character (dot), or a set of characters; with a flag. */
    private static final class Tok {
        final int type; // 0 character, 1 dot, 2 set (the library's TokenType order)
        final int rune;
        /** For a set: its characters as sorted, disjoint, non-adjacent inclusive ranges {lo, hi}. */
        final List<int[]> runes;

        int flag = NONE;

        Tok(int type, int rune, List<int[]> runes) {
            this.type = type;
            this.rune = rune;
            this.runes = runes;
        }

        boolean contains(int r) {
            for (int[] range : runes) {
                if (range[0] <= r && r <= range[1]) {
                    return true;
                }
            }
            return false;
        }

        boolean overlaps(Tok o) {
            for (int[] x : runes) {
                for (int[] y : o.runes) {
                    if (x[0] <= y[1] && y[0] <= x[1]) {
                        return true;
                    }
                }
            }
            return false;
        }

        boolean sameRunes(Tok o) {
            if (runes.size() != o.runes.size()) {
                return false;
            }
            for (int i = 0; i < runes.size(); i++) {
                if (runes.get(i)[0] != o.runes.get(i)[0]
                        || runes.get(i)[1] != o.runes.get(i)[1]) {
                    return false;
                }
            }
            return true;
        }

        boolean sameContent(Tok o) {
            return type == o.type && (type == 1 || (type == 0 ? rune == o.rune : sameRunes(o)));
        }
    }

    private final List<Tok> a;
    private final List<Tok> b;
    private final Map<Long, Boolean> memo = new HashMap<>();

    private GlobIntersection(List<Tok> a, List<Tok> b) {
        this.a = a;
        this.b = b;
    }

    /** True when some non-empty string matches both globs. @throws BuiltinError on a malformed glob */
    static boolean nonEmpty(String lhs, String rhs) {
        List<Tok> g1 = simplify(tokenize(lhs));
        List<Tok> g2 = simplify(tokenize(rhs));
        // trimGlobs: drop equal unflagged prefixes and suffixes, keeping one token of each.
        int l = 0;
        for (; l < g1.size() && l < g2.size() && g1.get(l).flag == NONE && g2.get(l).flag == NONE; l++) {
            if (!match(g1.get(l), g2.get(l))) {
                return false;
            }
        }
        if (l > 0) {
            l--;
        }
        int r1 = g1.size() - 1;
        int r2 = g2.size() - 1;
        for (;
                r1 >= 0 && r1 >= l && r2 >= 0 && r2 >= l && g1.get(r1).flag == NONE && g2.get(r2).flag == NONE;
                r1--, r2--) {
            if (!match(g1.get(r1), g2.get(r2))) {
                return false;
            }
        }
        if (r1 < g1.size() - 1) {
            r1++;
            r2++;
        }
        GlobIntersection x =
                new GlobIntersection(g1.subList(Math.min(l, r1 + 1), r1 + 1), g2.subList(Math.min(l, r2 + 1), r2 + 1));
        return x.normal(0, 0, 0);
    }

    private List<Tok> first(int side) {
        return side == 0 ? a : b;
    }

    private List<Tok> second(int side) {
        return side == 0 ? b : a;
    }

    private boolean memoised(int fn, int side, int i, int j, java.util.function.BooleanSupplier body) {
        long key = (((long) i * 100_003L + j) * 2 + side) * 3 + fn;
        Boolean known = memo.get(key);
        if (known != null) {
            return known;
        }
        boolean r = body.getAsBoolean();
        memo.put(key, r);
        return r;
    }

    /** intersectNormal(first[i:], second[j:]). */
    private boolean normal(int side, int i0, int j0) {
        return memoised(0, side, i0, j0, () -> {
            List<Tok> g1 = first(side);
            List<Tok> g2 = second(side);
            int i = i0;
            int j = j0;
            for (; i < g1.size() && j < g2.size(); i++, j++) {
                if (g1.get(i).flag == NONE && g2.get(j).flag == NONE) {
                    if (!match(g1.get(i), g2.get(j))) {
                        return false;
                    }
                } else {
                    return special(side, i, j);
                }
            }
            return i == g1.size() && j == g2.size();
        });
    }

    private boolean special(int side, int i, int j) {
        Tok t1 = first(side).get(i);
        if (t1.flag != NONE) {
            return t1.flag == PLUS ? plus(side, i, j) : star(side, i, j);
        }
        Tok t2 = second(side).get(j);
        return t2.flag == PLUS ? plus(1 - side, j, i) : t2.flag == STAR && star(1 - side, j, i);
    }

    /** intersectPlus(plussed = first[i:], other = second[j:]); other is never empty here. */
    private boolean plus(int side, int i, int j) {
        return memoised(1, side, i, j, () -> {
            List<Tok> other = second(side);
            if (!match(first(side).get(i), other.get(j))) {
                return false;
            }
            if (star(side, i, j + 1)) {
                return true;
            }
            return other.get(j).flag != NONE && normal(side, i + 1, j);
        });
    }

    /** intersectStar(starred = first[i:], other = second[j:]). */
    private boolean star(int side, int i, int j) {
        return memoised(2, side, i, j, () -> {
            List<Tok> starred = first(side);
            List<Tok> other = second(side);
            Tok starTok = starred.get(i);
            Tok next = i + 1 < starred.size() ? starred.get(i + 1) : null;
            for (int k = j; k < other.size(); k++) {
                Tok t = other.get(k);
                if (next != null && match(t, next)) {
                    if (normal(side, i + 1, k)) {
                        return true;
                    }
                    if (!match(t, starTok)) {
                        return false;
                    }
                } else if (!match(t, starTok)) {
                    return false;
                }
            }
            return next == null;
        });
    }

    private static boolean match(Tok t1, Tok t2) {
        if (t1.type > t2.type) {
            Tok t = t1;
            t1 = t2;
            t2 = t;
        }
        return switch (t1.type) {
            case 0 ->
                switch (t2.type) {
                    case 0 -> t1.rune == t2.rune;
                    case 1 -> true;
                    default -> t2.contains(t1.rune);
                };
            case 1 -> true;
            default -> t1.overlaps(t2);
        };
    }

    /** Simplify: merges adjacent flagged tokens of equal content (t*t* = t*, t+t* = t*t+ = t+). */
    private static List<Tok> simplify(List<Tok> tokens) {
        List<Tok> simple = new ArrayList<>(tokens.size());
        Tok latest = null;
        for (Tok t : tokens) {
            if (latest != null && t.flag != NONE && latest.flag != NONE && t.sameContent(latest)) {
                latest.flag = t.flag == PLUS || latest.flag == PLUS ? PLUS : STAR;
                continue;
            }
            latest = t;
            simple.add(t);
        }
        return simple;
    }

    // ---- tokenizer: the library's positions (rune indexes) and messages ----

    private record Rune(int next, int rune, boolean escaped) {}

    private static BuiltinError invalid(int[] in, int pos, String msg) {
        return new BuiltinError("input:" + new String(in, 0, in.length) + ", pos:" + pos + ", " + msg
                + ": the input provided is invalid");
    }

    private static List<Tok> tokenize(String s) {
        int[] in = s.codePoints().toArray();
        List<Tok> out = new ArrayList<>();
        int i = 0;
        while (i < in.length) {
            Rune r = nextRune(i, in);
            Tok t;
            int next = r.next;
            if (!r.escaped && (r.rune == '.' || r.rune == '[' || r.rune == ']')) {
                if (r.rune == '.') {
                    t = new Tok(1, 0, null);
                } else if (r.rune == ']') {
                    throw invalid(in, next, "set-close ']' with no preceding '['");
                } else {
                    int[] end = new int[1];
                    t = set(next, in, end);
                    next = end[0];
                }
            } else if (!r.escaped && (r.rune == '*' || r.rune == '+')) {
                throw invalid(in, next, "flag '" + Character.toString(r.rune) + "' must be preceded by a non-flag");
            } else {
                t = new Tok(0, r.rune, null);
            }
            if (next < in.length) {
                Rune f = nextRune(next, in);
                if (!f.escaped && (f.rune == '*' || f.rune == '+')) {
                    t.flag = f.rune == '*' ? STAR : PLUS;
                    next = f.next;
                }
            }
            out.add(t);
            if (out.size() > MAX_TOKENS) {
                throw new BuiltinError("glob longer than " + MAX_TOKENS + " tokens");
            }
            i = next;
        }
        return out;
    }

    private static Tok set(int index, int[] in, int[] end) {
        List<int[]> runes = new ArrayList<>();
        boolean complete = false;
        boolean prevExists = false;
        int prev = 0;
        int i = index;
        while (!complete && i < in.length) {
            Rune r = nextRune(i, in);
            i = r.next;
            if (r.escaped) {
                runes.add(new int[] {r.rune, r.rune});
                prev = r.rune;
                prevExists = true;
            } else if (r.rune == '-') {
                if (!prevExists) {
                    throw invalid(in, i, "range character '-' must be preceded by a Unicode character");
                }
                if (i >= in.length - 1) {
                    throw invalid(in, i, "range character '-' must be followed by a Unicode character");
                }
                Rune hi = nextRune(i, in);
                i = hi.next;
                if (!hi.escaped && (hi.rune == ']' || hi.rune == '-')) {
                    throw invalid(in, i, "range character '-' cannot be followed by a special symbol");
                }
                if (hi.rune < prev) {
                    throw invalid(
                            in,
                            i,
                            "range is out of order: '" + Character.toString(hi.rune) + "' comes before '"
                                    + Character.toString(prev) + "' in Unicode");
                }
                runes.add(new int[] {prev, hi.rune});
                prevExists = false;
            } else if (r.rune == ']') {
                complete = true;
            } else {
                runes.add(new int[] {r.rune, r.rune});
                prev = r.rune;
                prevExists = true;
            }
        }
        if (!complete) {
            throw invalid(in, i, "found [ without matching ]");
        }
        end[0] = i;
        return new Tok(2, 0, normalise(runes));
    }

    /** Sorts and merges ranges, so equal sets have equal range lists. */
    private static List<int[]> normalise(List<int[]> ranges) {
        ranges.sort((x, y) -> Integer.compare(x[0], y[0]));
        List<int[]> out = new ArrayList<>();
        for (int[] r : ranges) {
            int[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(new int[] {r[0], r[1]});
            }
        }
        return out;
    }

    private static Rune nextRune(int index, int[] in) {
        if (in[index] == '\\') {
            if (index < in.length - 1) {
                return new Rune(index + 2, in[index + 1], true);
            }
            throw invalid(in, index, "input ends with a \\ (escape) character");
        }
        return new Rune(index + 1, in[index], false);
    }
}
