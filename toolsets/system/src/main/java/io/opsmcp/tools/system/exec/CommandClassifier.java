package io.opsmcp.tools.system.exec;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Classes a shell command line for the policy ({@link CommandClass}, {@code input.facts.command_class}): {@code destructive} when it
 * matches a pattern that destroys data or stops a machine or its network ({@code rm -rf}, {@code mkfs},
 * {@code dd of=}, {@code shutdown}, {@code iptables -F}, …), {@code read} when every simple command in it runs a
 * program known to only read and nothing is redirected into a file, and {@code write} otherwise. Unknown programs
 * are {@code write}: the classification errs towards more scrutiny, and it is a hint for the policy, not a sandbox.
 */
final class CommandClassifier {

    /**
     * A class and the rule that decided it.
     *
     * @param commandClass the class
     * @param reason       what in the command decided it, for the change preview
     */
    public record Classification(CommandClass commandClass, String reason) {}

    private record Rule(Pattern pattern, String reason) {}

    private static final List<Rule> DESTRUCTIVE = List.of(
            rule("\\brm\\s+(?:-\\S*\\s+)*-[A-Za-z]*[rRf]|\\brm\\s+(?:.*\\s)?--(?:recursive|force)\\b", "rm -r/-f"),
            rule("\\bmkfs(?:\\.[a-z0-9]+)?\\b|\\bmke2fs\\b|\\bmkswap\\b", "makes a file system"),
            rule("\\bdd\\b[^|;&]*\\bof=", "dd writing to a file or device"),
            rule(
                    "\\b(?:shutdown|reboot|halt|poweroff)\\b|\\binit\\s+[06]\\b|\\btelinit\\s+[06]\\b",
                    "stops the machine"),
            rule(
                    "\\bsystemctl\\s+(?:\\S+\\s+)*(?:stop|disable|mask|kill|poweroff|reboot|halt|isolate)\\b",
                    "stops or disables a service"),
            rule(
                    "\\bip6?tables(?:-legacy|-nft)?\\s+(?:\\S+\\s+)*(?:-F|--flush|-X|--delete-chain|-P\\s+\\S+\\s+DROP)\\b"
                            + "|\\bnft\\s+(?:flush|delete)\\b|\\bufw\\s+(?:disable|reset)\\b",
                    "flushes firewall rules"),
            rule(
                    "\\bip\\s+(?:link\\s+set\\s+\\S+\\s+down|addr(?:ess)?\\s+(?:del|flush)|route\\s+(?:del|flush))\\b"
                            + "|\\bifdown\\b",
                    "takes the network down"),
            rule(
                    "\\b(?:wipefs|shred|fdisk|sfdisk|parted|blkdiscard|lvremove|vgremove|pvremove|zpool\\s+destroy)\\b",
                    "erases or repartitions a disk"),
            rule(">\\s*/dev/(?:sd|nvme|xvd|vd|hd|mapper/)", "writes over a block device"),
            rule(
                    "\\btruncate\\b|\\bfind\\b.*\\s-delete\\b|\\bxargs\\b.*\\brm\\b|\\bcrontab\\s+-r\\b",
                    "deletes or truncates files"),
            rule(
                    "\\b(?:kill|pkill|killall)\\b\\s+(?:\\S+\\s+)*-(?:9|KILL|SIGKILL)\\b|\\bkill\\s+(?:-\\S+\\s+)*-?1\\s*$"
                            + "|\\bkillall\\b|\\bpkill\\b",
                    "kills processes"),
            rule("\\b(?:userdel|groupdel|deluser)\\b|\\bpasswd\\s+-[ld]\\b", "removes or locks accounts"),
            rule(
                    "\\bdocker\\s+(?:rm|rmi|kill|stop|system\\s+prune|volume\\s+(?:rm|prune)|container\\s+(?:rm|prune|stop|kill))\\b",
                    "removes or stops containers"),
            rule("(?i)\\bdrop\\s+(?:table|database|schema)\\b|(?i)\\btruncate\\s+table\\b", "drops database objects"),
            rule(
                    "\\bchmod\\s+-R\\b|\\bchown\\s+-R\\b|\\bchmod\\s+(?:\\S+\\s+)*0{3,4}\\s+/",
                    "recursive permission change"),
            rule(":\\(\\)\\s*\\{", "fork bomb"),
            rule("\\bmv\\s+(?:\\S+\\s+)+/dev/null\\b", "moves files to /dev/null"));

    /** Programs that only read (with the arguments an operator would reasonably give them). */
    private static final Set<String> READERS = Set.of(
            "cat",
            "ls",
            "ll",
            "df",
            "du",
            "free",
            "uptime",
            "ps",
            "top",
            "pgrep",
            "grep",
            "egrep",
            "fgrep",
            "zgrep",
            "tail",
            "head",
            "less",
            "more",
            "wc",
            "sort",
            "uniq",
            "cut",
            "awk",
            "journalctl",
            "dmesg",
            "ss",
            "netstat",
            "ip",
            "ifconfig",
            "ping",
            "traceroute",
            "tracepath",
            "dig",
            "nslookup",
            "host",
            "getent",
            "curl",
            "wget",
            "id",
            "whoami",
            "who",
            "w",
            "last",
            "hostname",
            "uname",
            "date",
            "env",
            "printenv",
            "echo",
            "printf",
            "stat",
            "file",
            "find",
            "lsof",
            "lsblk",
            "blkid",
            "mount",
            "findmnt",
            "vmstat",
            "iostat",
            "mpstat",
            "sar",
            "nproc",
            "lscpu",
            "lsmem",
            "openssl",
            "md5sum",
            "sha256sum",
            "test",
            "true",
            "false",
            "which",
            "type",
            "readlink",
            "realpath",
            "basename",
            "dirname",
            "tr",
            "jq",
            "column",
            "zcat",
            "nl",
            "tac",
            "rev",
            "diff",
            "cmp",
            "timeout",
            "nginx",
            "apachectl",
            "docker",
            "systemctl",
            "service",
            "sysctl",
            "ulimit",
            "nc",
            "tcpdump",
            "strace",
            "pwd",
            "sleep");
    /** Sub-commands that make a "reader" program change something. */
    private static final Pattern READER_WRITES = Pattern.compile(
            "^(?:docker\\s+(?!ps\\b|logs\\b|inspect\\b|images\\b|stats\\b|top\\b|version\\b|info\\b|port\\b|events\\b)"
                    + "|systemctl\\s+(?!status\\b|show\\b|is-active\\b|is-enabled\\b|is-failed\\b|list-units\\b"
                    + "|list-unit-files\\b|list-timers\\b|cat\\b)"
                    + "|service\\s+\\S+\\s+(?!status\\b)"
                    + "|sysctl\\s+(?:\\S+\\s+)*-w\\b|sysctl\\s+\\S+="
                    + "|ip\\s+(?:\\S+\\s+)*(?:add|del|set|flush|change|replace)\\b"
                    + "|curl\\s+.*(?:-X\\s*(?:POST|PUT|PATCH|DELETE)|--request\\s+(?:POST|PUT|PATCH|DELETE)|-d\\b|--data|-T\\b|-o\\b|-O\\b|--output)"
                    + "|wget\\s+(?!.*(?:-O\\s*-|--spider))"
                    + "|find\\s+.*\\s-(?:exec|execdir|ok|fprint|fls)\\b"
                    + "|nginx\\s+(?!-t\\b|-T\\b|-v\\b|-V\\b)"
                    + "|apachectl\\s+(?!configtest\\b|-t\\b|-S\\b))");
    /** Output redirected into a file (not /dev/null, not duplicating descriptors). */
    private static final Pattern WRITE_REDIRECT = Pattern.compile(
            "(?<![0-9&])>>?(?!&)\\s*(?!/dev/null\\b)\\S" + "|[0-9]>>?\\s*(?!/dev/null\\b|&)\\S|\\btee\\b");

    private static final Pattern SEPARATORS = Pattern.compile("\\|\\|?|&&|;|&|\\$\\(|`|\\(|\\)|\\n");
    private static final Set<String> PREFIXES =
            Set.of("sudo", "nice", "nohup", "ionice", "command", "exec", "time", "stdbuf");

    private CommandClassifier() {}

    private static Rule rule(String regex, String reason) {
        return new Rule(Pattern.compile(regex), reason);
    }

    static Classification classify(String command) {
        for (Rule rule : DESTRUCTIVE) {
            if (rule.pattern().matcher(command).find()) {
                return new Classification(CommandClass.DESTRUCTIVE, rule.reason());
            }
        }
        if (WRITE_REDIRECT.matcher(command).find()) {
            return new Classification(CommandClass.WRITE, "redirects output into a file");
        }
        for (String segment : SEPARATORS.split(command)) {
            String simple = strip(segment.strip());
            if (simple.isEmpty()) {
                continue;
            }
            String program = simple.split("\\s+", 2)[0];
            program = program.substring(program.lastIndexOf('/') + 1);
            if (!READERS.contains(program)) {
                return new Classification(CommandClass.WRITE, "`" + program + "` is not a known read-only program");
            }
            if (READER_WRITES.matcher(simple).find()) {
                return new Classification(CommandClass.WRITE, "`" + simple + "` changes something");
            }
        }
        return new Classification(CommandClass.READ, "only read-only programs");
    }

    /** Drops leading variable assignments and wrappers (sudo, nice, timeout N, env) from a simple command. */
    private static String strip(String simple) {
        String s = simple;
        for (int guard = 0; guard < 16; guard++) {
            String[] words = s.split("\\s+", 2);
            String first = words[0];
            String rest = words.length > 1 ? words[1] : "";
            if (first.matches("^[A-Za-z_][A-Za-z0-9_]*=.*")
                    || PREFIXES.contains(first)
                    || (first.startsWith("-") && !rest.isEmpty())) {
                s = rest;
            } else if (first.equals("timeout") && rest.matches("^(?:-\\S+\\s+)*\\d+[smhd]?\\s+.*")) {
                s = rest.replaceFirst("^(?:-\\S+\\s+(?:\\d+\\s+)?)*\\d+[smhd]?\\s+", "");
            } else if (first.equals("env") && !rest.isEmpty()) {
                s = rest;
            } else {
                return s;
            }
        }
        return s;
    }
}
