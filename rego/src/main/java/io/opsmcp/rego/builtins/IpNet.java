package io.opsmcp.rego.builtins;

import java.math.BigInteger;

/**
 * An IP network as Go's net package models it for OPA's net.cidr_* built-ins. Addresses are held
 * as 128-bit integers with IPv4 in the IPv4-mapped range (::ffff:a.b.c.d), prefixes in 128-bit
 * terms; {@code ip} is the address as written (not masked), as Go's IPNet keeps it.
 */
record IpNet(BigInteger ip, int prefix, boolean v4) {
    static final BigInteger V4_MAPPED = BigInteger.valueOf(0xffffL).shiftLeft(32);
    private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    /** Go's net.ParseCIDR; null when invalid. The address is masked as ParseCIDR returns it. */
    static IpNet parseCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return null;
        }
        Addr a = parseAddr(s.substring(0, slash));
        String mask = s.substring(slash + 1);
        if (a == null || mask.isEmpty() || mask.length() > 3 || !mask.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int n = Integer.parseInt(mask);
        if (n > (a.v4() ? 32 : 128)) {
            return null;
        }
        int prefix = a.v4() ? n + 96 : n;
        return new IpNet(first(a.value(), prefix), prefix, a.v4());
    }

    /** Go's net.ParseIP (no zones); null when invalid. */
    static Addr parseIp(String s) {
        return parseAddr(s);
    }

    /** An address: 128-bit value, and whether it was written as IPv4. */
    record Addr(BigInteger value, boolean v4) {}

    private static Addr parseAddr(String s) {
        if (s.indexOf(':') < 0) {
            BigInteger v4 = parseV4(s);
            return v4 == null ? null : new Addr(V4_MAPPED.or(v4), true);
        }
        BigInteger v6 = parseV6(s);
        return v6 == null ? null : new Addr(v6, false);
    }

    private static BigInteger parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty()
                    || p.length() > 3
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                return null;
            }
            v = (v << 8) | octet;
        }
        return BigInteger.valueOf(v);
    }

    private static BigInteger parseV6(String s) {
        if (s.indexOf('%') >= 0) {
            return null;
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = groups(head);
        int[] t = groups(tail);
        if (h == null || t == null) {
            return null;
        }
        int total = h.length + t.length;
        if (dbl < 0 ? total != 8 : total > 7) {
            return null;
        }
        BigInteger v = BigInteger.ZERO;
        for (int g : h) {
            v = v.shiftLeft(16).or(BigInteger.valueOf(g));
        }
        v = v.shiftLeft(16 * (8 - total));
        for (int g : t) {
            v = v.shiftLeft(16).or(BigInteger.valueOf(g));
        }
        return v;
    }

    /** Hex groups, allowing a trailing dotted IPv4 (two groups); null when malformed. */
    private static int[] groups(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int extra = parts[parts.length - 1].contains(".") ? 1 : 0;
        int[] out = new int[parts.length + extra];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && extra == 1) {
                BigInteger v4 = parseV4(p);
                if (v4 == null) {
                    return null;
                }
                out[i] = v4.intValue() >>> 16;
                out[i + 1] = v4.intValue() & 0xffff;
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return null;
            }
            out[i] = Integer.parseInt(p, 16);
        }
        return out;
    }

    static BigInteger first(BigInteger ip, int prefix) {
        BigInteger hostMask = BigInteger.ONE.shiftLeft(128 - prefix).subtract(BigInteger.ONE);
        return ip.andNot(hostMask);
    }

    BigInteger first() {
        return first(ip, prefix);
    }

    BigInteger last() {
        return first().or(BigInteger.ONE.shiftLeft(128 - prefix).subtract(BigInteger.ONE))
                .and(ALL);
    }

    /** Go's IPNet.Contains for an address. */
    boolean contains(BigInteger addr) {
        return first(addr, prefix).equals(first());
    }

    static boolean isMappedV4(BigInteger v) {
        return v.shiftRight(32).equals(BigInteger.valueOf(0xffffL));
    }

    /** Go's IP.String: dotted for IPv4 (and IPv4-mapped), RFC 5952 for IPv6. */
    static String format(BigInteger v) {
        if (isMappedV4(v)) {
            long x = v.longValue() & 0xffffffffL;
            return (x >>> 24) + "." + ((x >>> 16) & 0xff) + "." + ((x >>> 8) & 0xff) + "." + (x & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = v.shiftRight(16 * (7 - i)).intValue() & 0xffff;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Go's IPNet.String: the address as held, then the prefix length in its family. */
    @Override
    public String toString() {
        return format(ip) + "/" + (v4 ? prefix - 96 : prefix);
    }
}
