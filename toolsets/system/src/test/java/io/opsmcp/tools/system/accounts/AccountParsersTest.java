package io.opsmcp.tools.system.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.tools.system.accounts.AccountParsers.Failure;
import io.opsmcp.tools.system.accounts.AccountParsers.Login;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The account command parsers on outputs captured on Debian 12, and the older / RHEL formats they document. */
class AccountParsersTest {

    @Test
    void passwdEntry() {
        var e = AccountParsers.passwd("jdoe:x:1001:1001:Jane Doe,,,:/home/jdoe:/bin/bash\n");
        assertThat(e.name()).isEqualTo("jdoe");
        assertThat(e.uid()).isEqualTo(1001);
        assertThat(e.home()).isEqualTo("/home/jdoe");
        assertThat(e.shell()).isEqualTo("/bin/bash");
        assertThat(AccountParsers.passwd("")).isNull();
        assertThat(AccountParsers.passwd("jdoe:x:notanumber:1:::/bin/sh")).isNull();
    }

    @Test
    void passwordStatusInEveryFormat() {
        // Debian 12 (shadow 4.13)
        var debian = AccountParsers.passwordStatus("opsmcp-probe L 2026-12-05 0 99999 7 -1\n");
        assertThat(debian.state()).isEqualTo("locked");
        assertThat(debian.lastChange()).isEqualTo("2026-12-05");
        // older shadow: mm/dd/yyyy
        assertThat(AccountParsers.passwordStatus("jdoe P 11/30/2026 0 99999 7 -1")
                        .lastChange())
                .isEqualTo("11/30/2026");
        // RHEL (passwd from libuser): LK / PS and a remark
        assertThat(AccountParsers.passwordStatus("jdoe LK 2026-11-30 0 99999 7 -1 (Password locked.)")
                        .state())
                .isEqualTo("locked");
        assertThat(AccountParsers.passwordStatus("jdoe PS 2026-11-30 0 99999 7 -1 (Password set, SHA512 crypt.)")
                        .state())
                .isEqualTo("usable");
        assertThat(AccountParsers.passwordStatus("jdoe NP 2026-11-30 0 99999 7 -1")
                        .state())
                .isEqualTo("no_password");
        assertThat(AccountParsers.passwordStatus("passwd: You may not view or modify password information for jdoe."))
                .isNull();
    }

    @Test
    void chageInTheCLocale() {
        Map<String, String> f = AccountParsers.chage("""
                Last password change					: Dec 05, 2026
                Password expires					: never
                Password inactive					: never
                Account expires						: Jan 02, 1970
                Minimum number of days between password change		: 0
                Maximum number of days between password change		: 99999
                Number of days of warning before password expires	: 7
                """);
        assertThat(f)
                .containsEntry("last_password_change", "2026-12-05")
                .containsEntry("password_expires", "never")
                .containsEntry("account_expires", "1970-01-02")
                .containsEntry("max_days", "99999")
                .containsEntry("warn_days", "7");
        assertThat(AccountParsers.accountExpired(f, LocalDate.of(2026, 12, 5))).isTrue();
        assertThat(AccountParsers.accountExpired(Map.of("account_expires", "2026-12-06"), LocalDate.of(2026, 12, 5)))
                .isFalse();
        assertThat(AccountParsers.accountExpired(Map.of("account_expires", "never"), LocalDate.of(2026, 12, 5)))
                .isFalse();
        assertThat(AccountParsers.chage("Last password change : password must be changed"))
                .containsEntry("last_password_change", "password must be changed");
    }

    @Test
    void faillockRecords() {
        var records = AccountParsers.faillock("""
                opsmcp-probe:
                When                Type  Source                                           Valid
                2026-12-05 03:34:44 RHOST 192.0.2.7                                            V
                2026-12-05 03:35:14 TTY   pts/1                                                V
                2026-12-05 03:35:44 SVC   sshd                                                 I
                """);
        assertThat(records)
                .containsExactly(
                        new Failure("2026-12-05 03:34:44", "RHOST", "192.0.2.7", true),
                        new Failure("2026-12-05 03:35:14", "TTY", "pts/1", true),
                        new Failure("2026-12-05 03:35:44", "SVC", "sshd", false));
        assertThat(AccountParsers.faillock("")).isEmpty();
        assertThat(AccountParsers.faillock("jdoe:\nWhen                Type  Source          Valid\n"))
                .isEmpty();
    }

    @Test
    void pamTally2() {
        assertThat(
                        AccountParsers.pamTally2(
                                "Login           Failures Latest failure     From\njdoe                5    12/05/26 03:00:00  10.0.0.5\n"))
                .isEqualTo(5);
        assertThat(AccountParsers.pamTally2("Login           Failures Latest failure     From\n"))
                .isNull();
    }

    @Test
    void lastlogAndLast() {
        assertThat(AccountParsers.lastlog("""
                        Username         Port     From                                       Latest
                        jdoe             pts/0    198.51.100.7                               Sat Dec  5 03:00:00 +0000 2026
                        """))
                .containsExactly(new Login("Sat Dec  5 03:00:00 +0000 2026", "pts/0", "198.51.100.7"));
        assertThat(AccountParsers.lastlog("""
                        Username         Port     From                                       Latest
                        opsmcp-probe                                                        **Never logged in**
                        """)).isEmpty();
        assertThat(AccountParsers.lastlog("lastlog: Unknown user or range: jdoe\n"))
                .isNull();
        assertThat(AccountParsers.last("""
                        jdoe     pts/0        2026-12-05T03:00:00+00:00 - 2026-12-05T03:10:00+00:00  (00:10)
                        jdoe     pts/1        2026-12-04T09:00:00+00:00   still logged in
                        jdoe2    pts/2        2026-12-04T08:00:00+00:00 - crash

                        wtmp begins 2025-05-20T00:00:00+00:00
                        """, "jdoe"))
                .containsExactly(
                        new Login("2026-12-05T03:00:00+00:00", "pts/0", ""),
                        new Login("2026-12-04T09:00:00+00:00", "pts/1", ""));
    }
}
