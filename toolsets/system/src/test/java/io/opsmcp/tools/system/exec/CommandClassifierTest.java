package io.opsmcp.tools.system.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandClassifierTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '#',
            value = {
                "rm -rf /var/cache/app # DESTRUCTIVE",
                "sudo rm -r /tmp/x # DESTRUCTIVE",
                "rm --force a.txt # DESTRUCTIVE",
                "mkfs.ext4 /dev/sdb1 # DESTRUCTIVE",
                "dd if=/dev/zero of=/dev/sda bs=1M # DESTRUCTIVE",
                "shutdown -h now # DESTRUCTIVE",
                "sudo reboot # DESTRUCTIVE",
                "iptables -F # DESTRUCTIVE",
                "iptables -t nat --flush # DESTRUCTIVE",
                "nft flush ruleset # DESTRUCTIVE",
                "systemctl stop nginx # DESTRUCTIVE",
                "find /var/log -name '*.gz' -delete # DESTRUCTIVE",
                "kill -9 1234 # DESTRUCTIVE",
                "docker system prune -af # DESTRUCTIVE",
                "echo x > /dev/sda # DESTRUCTIVE",
                "ip link set eth0 down # DESTRUCTIVE",
                "touch /tmp/marker # WRITE",
                "echo hi > /etc/motd # WRITE",
                "systemctl restart nginx # WRITE",
                "apt-get install -y htop # WRITE",
                "sed -i s/a/b/ /etc/app.conf # WRITE",
                "curl -X POST http://localhost/api # WRITE",
                "some-unknown-tool --flag # WRITE",
                "docker run --rm alpine true # WRITE",
                "df -h # READ",
                "cat /var/log/syslog | grep -i error | tail -n 20 # READ",
                "ps aux --sort=-%mem | head # READ",
                "systemctl status nginx # READ",
                "docker ps -a # READ",
                "journalctl -u nginx -n 50 2>/dev/null # READ",
                "curl -sS http://127.0.0.1:8080/health # READ",
                "timeout 5 ss -ltnp # READ",
                "LANG=C free -m # READ",
            })
    void classifies(String command, CommandClass expected) {
        assertThat(CommandClassifier.classify(command.strip()).commandClass()).isEqualTo(expected);
    }
}
