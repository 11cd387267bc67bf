package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.BOOLEAN;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * net.cidr_contains/intersects/expand/merge/contains_matches/is_valid (and the deprecated
 * net.cidr_overlap) with the semantics of OPA's {@code cidr.go} over Go's net package parsing:
 * strict dotted quads, RFC 5952 output, classful default masks for bare IPv4 in cidr_merge.
 */
final class NetCidrBuiltins {
    private NetCidrBuiltins() {}

    /** cidr_expand refuses ranges larger than this many addresses (OPA relies on query cancellation). */
    private static final BigInteger EXPAND_LIMIT = BigInteger.ONE.shiftLeft(24);

    static List<Builtin> all() {
        Type matchOperand = Type.anyOf(STRING, Type.ANY_ARRAY, Type.ANY_SET, Type.ANY_OBJECT);
        return List.of(
                Builtin.simple("net.cidr_contains", args(STRING, STRING), BOOLEAN, NetCidrBuiltins::contains),
                Builtin.simple("net.cidr_overlap", args(STRING, STRING), BOOLEAN, NetCidrBuiltins::contains),
                Builtin.simple("net.cidr_intersects", args(STRING, STRING), BOOLEAN, NetCidrBuiltins::intersects),
                Builtin.simple("net.cidr_expand", args(STRING), Type.set(STRING), NetCidrBuiltins::expand),
                Builtin.simple(
                        "net.cidr_merge",
                        args(Type.anyOf(Type.array(STRING), Type.set(STRING))),
                        Type.set(STRING),
                        NetCidrBuiltins::merge),
                Builtin.simple(
                        "net.cidr_contains_matches",
                        args(matchOperand, matchOperand),
                        Type.ANY_SET,
                        NetCidrBuiltins::containsMatches),
                Builtin.simple(
                        "net.cidr_is_valid",
                        args(ANY),
                        BOOLEAN,
                        (a, c) -> BooleanValue.of(
                                a.get(0) instanceof StringValue s && IpNet.parseCidr(s.value()) != null)));
    }

    private static IpNet cidr(Value v) {
        if (!(v instanceof StringValue s)) {
            throw BuiltinTypeError.operand(1, "string", v);
        }
        IpNet net = IpNet.parseCidr(s.value());
        if (net == null) {
            throw new BuiltinError("invalid CIDR address: " + s.value());
        }
        return net;
    }

    private static Value contains(List<Value> args, BuiltinContext ctx) {
        return BooleanValue.of(containsValue(args.get(0), args.get(1)));
    }

    private static boolean containsValue(Value a, Value b) {
        IpNet net = cidr(a);
        if (!(b instanceof StringValue bs)) {
            throw BuiltinTypeError.operand(1, "string", b);
        }
        IpNet.Addr ip = IpNet.parseIp(bs.value());
        if (ip != null) {
            return net.contains(ip.value());
        }
        IpNet other = IpNet.parseCidr(bs.value());
        if (other == null) {
            throw new BuiltinError("not a valid textual representation of an IP address or CIDR: " + bs.value());
        }
        return net.contains(other.first()) && net.contains(other.last());
    }

    private static Value intersects(List<Value> args, BuiltinContext ctx) {
        IpNet a = cidr(args.get(0));
        IpNet b = cidr(args.get(1));
        return BooleanValue.of(a.contains(b.first()) || b.contains(a.first()));
    }

    private static Value expand(List<Value> args, BuiltinContext ctx) {
        String s = Operands.string(args, 0);
        IpNet net = IpNet.parseCidr(s);
        if (net == null) {
            throw new BuiltinError("invalid CIDR address: " + s);
        }
        BigInteger first = net.first();
        BigInteger last = net.last();
        if (last.subtract(first).compareTo(EXPAND_LIMIT) >= 0) {
            throw new BuiltinError("CIDR " + s + " has too many addresses to expand");
        }
        List<Value> out = new ArrayList<>();
        for (BigInteger i = first; i.compareTo(last) <= 0; i = i.add(BigInteger.ONE)) {
            out.add(StringValue.of(IpNet.format(i)));
        }
        return SetValue.of(out);
    }

    private static IpNet mergeElement(Value v) {
        if (!(v instanceof StringValue s)) {
            throw new BuiltinError("element must be string");
        }
        IpNet.Addr ip = IpNet.parseIp(s.value());
        if (ip == null) {
            IpNet net = IpNet.parseCidr(s.value());
            if (net == null) {
                throw new BuiltinError("invalid CIDR address: " + s.value());
            }
            return net;
        }
        if (!ip.v4()) {
            throw new BuiltinError("IPv6 invalid: needs prefix length");
        }
        long firstOctet = ip.value().shiftRight(24).longValue() & 0xff;
        int classful = firstOctet < 0x80 ? 8 : firstOctet < 0xC0 ? 16 : 24;
        return new IpNet(ip.value(), 96 + classful, true);
    }

    /** A range being merged; {@code net} is kept while the range is one original network. */
    private record Range(BigInteger first, BigInteger last, IpNet net) {}

    private static Value merge(List<Value> args, BuiltinContext ctx) {
        Value v = args.get(0);
        List<Value> elems;
        if (v instanceof ArrayValue a) {
            elems = a.elements();
        } else if (v instanceof SetValue s) {
            elems = new ArrayList<>(s.elements());
        } else {
            throw new BuiltinError("operand must be an array");
        }
        List<Range> ranges = new ArrayList<>();
        for (Value e : elems) {
            IpNet net = mergeElement(e);
            ranges.add(new Range(net.first(), net.last(), net));
        }
        ranges.sort(Comparator.comparing(Range::last).thenComparing(Range::first));
        for (int i = ranges.size() - 1; i > 0; i--) {
            Range cur = ranges.get(i);
            Range prev = ranges.get(i - 1);
            BigInteger before =
                    cur.first().signum() == 0 ? cur.first() : cur.first().subtract(BigInteger.ONE);
            if (before.compareTo(prev.last()) <= 0) {
                ranges.set(i - 1, new Range(prev.first().min(cur.first()), cur.last(), null));
                ranges.remove(i);
            }
        }
        List<Value> out = new ArrayList<>();
        for (Range r : ranges) {
            if (r.net() != null) {
                out.add(StringValue.of(r.net().toString()));
            } else {
                for (IpNet n : rangeToCidrs(r.first(), r.last())) {
                    out.add(StringValue.of(n.toString()));
                }
            }
        }
        return SetValue.of(out);
    }

    /** The minimal list of aligned CIDR blocks covering [first, last]. */
    private static List<IpNet> rangeToCidrs(BigInteger first, BigInteger last) {
        boolean v4 = IpNet.isMappedV4(first) && IpNet.isMappedV4(last);
        int minPrefix = v4 ? 96 : 0;
        List<IpNet> out = new ArrayList<>();
        BigInteger cur = first;
        while (cur.compareTo(last) <= 0) {
            int prefix = 128;
            while (prefix > minPrefix) {
                int candidate = prefix - 1;
                BigInteger size = BigInteger.ONE.shiftLeft(128 - candidate);
                if (!cur.mod(size).equals(BigInteger.ZERO)
                        || cur.add(size).subtract(BigInteger.ONE).compareTo(last) > 0) {
                    break;
                }
                prefix = candidate;
            }
            out.add(new IpNet(cur, prefix, v4));
            cur = cur.add(BigInteger.ONE.shiftLeft(128 - prefix));
        }
        return out;
    }

    private static void eachCidr(int operand, Value v, BiConsumer<Value, Value> f) {
        if (v instanceof StringValue) {
            f.accept(v, v);
        } else if (v instanceof ArrayValue a) {
            for (int i = 0; i < a.size(); i++) {
                f.accept(matchTerm(operand, a.get(i)), NumberValue.of(i));
            }
        } else if (v instanceof SetValue s) {
            for (Value e : s.elements()) {
                f.accept(matchTerm(operand, e), e);
            }
        } else if (v instanceof ObjectValue o) {
            for (Map.Entry<Value, Value> e : o.entries()) {
                f.accept(matchTerm(operand, e.getValue()), e.getKey());
            }
        }
    }

    private static Value matchTerm(int operand, Value v) {
        if (v instanceof StringValue) {
            return v;
        }
        if (v instanceof ArrayValue a && a.size() > 0) {
            return a.get(0);
        }
        throw new BuiltinError("operand " + operand + ": element must be string or non-empty array");
    }

    private static Value containsMatches(List<Value> args, BuiltinContext ctx) {
        List<Value> out = new ArrayList<>();
        eachCidr(
                1,
                args.get(0),
                (cidr1, index1) -> eachCidr(2, args.get(1), (cidr2, index2) -> {
                    if (containsValue(cidr1, cidr2)) {
                        out.add(ArrayValue.of(index1, index2));
                    }
                }));
        return SetValue.of(out);
    }
}
