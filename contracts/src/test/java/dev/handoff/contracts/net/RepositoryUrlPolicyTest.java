package dev.handoff.contracts.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepositoryUrlPolicyTest {

    private static final RepositoryUrlPolicy STRICT = RepositoryUrlPolicy.strict();

    private static RepositoryUrlPolicy.Resolver table(Map<String, String> hosts) {
        return host -> {
            String address = hosts.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        };
    }

    private static final RepositoryUrlPolicy.Resolver HOSTS = table(Map.of(
        "github.com", "140.82.121.4", "internal.example.com", "10.1.2.3", "localhost", "127.0.0.1",
        "rebind.example.com", "169.254.169.254"));

    @Test
    void classifiesTheNetworksThatBelongToTheMachineOrItsOperator() throws Exception {
        assertThat(AddressKind.of(InetAddress.getByName("127.0.0.1"))).isEqualTo(AddressKind.LOOPBACK);
        assertThat(AddressKind.of(InetAddress.getByName("::1"))).isEqualTo(AddressKind.LOOPBACK);
        assertThat(AddressKind.of(InetAddress.getByName("::ffff:127.0.0.1"))).isEqualTo(AddressKind.LOOPBACK);
        assertThat(AddressKind.of(InetAddress.getByName("64:ff9b::a9fe:a9fe"))).isEqualTo(AddressKind.METADATA);
        assertThat(AddressKind.of(InetAddress.getByName("169.254.169.254"))).isEqualTo(AddressKind.METADATA);
        assertThat(AddressKind.of(InetAddress.getByName("fd00:ec2::254"))).isEqualTo(AddressKind.METADATA);
        assertThat(AddressKind.of(InetAddress.getByName("169.254.1.1"))).isEqualTo(AddressKind.LINK_LOCAL);
        assertThat(AddressKind.of(InetAddress.getByName("fe80::1"))).isEqualTo(AddressKind.LINK_LOCAL);
        assertThat(AddressKind.of(InetAddress.getByName("172.20.0.1"))).isEqualTo(AddressKind.PRIVATE);
        assertThat(AddressKind.of(InetAddress.getByName("fd12::1"))).isEqualTo(AddressKind.PRIVATE);
        assertThat(AddressKind.of(InetAddress.getByName("0.0.0.0"))).isEqualTo(AddressKind.UNSPECIFIED);
        assertThat(AddressKind.of(InetAddress.getByName("224.0.0.1"))).isEqualTo(AddressKind.RESERVED);
        assertThat(AddressKind.of(InetAddress.getByName("140.82.121.4"))).isEqualTo(AddressKind.PUBLIC);
        assertThat(AddressKind.of(InetAddress.getByName("2606:4700::1111"))).isEqualTo(AddressKind.PUBLIC);
    }

    @Test
    void cidrsParseWithoutLookupsAndMatchTheirRange() throws Exception {
        assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("10.200.0.1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("127.0.0.1").contains(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(Cidr.parse("fd00::/8").contains(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(Cidr.parse("192.168.1.77/24")).hasToString("192.168.1.0/24");
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("'example.com/8'");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> RepositoryUrlPolicy.of(List.of("10.0.0.0/8", "nope", "1.2.3.4/x"), false, true,
            false)).hasMessageContaining("'nope'").hasMessageContaining("'1.2.3.4/x'");
    }

    @Test
    void refusesLoopbackLinkLocalMetadataAndPrivateAddressesByDefault() {
        for (String url : List.of("https://127.0.0.1:8080/x.git", "https://[::1]:5432/x.git",
            "https://169.254.169.254/latest/meta-data", "https://localhost/x.git", "https://internal.example.com/x.git",
            "ssh://git@10.0.0.5/x.git", "git@[::1]:x.git", "https://[::ffff:127.0.0.1]/x.git",
            "https://rebind.example.com/x.git")) {
            assertThatThrownBy(() -> STRICT.check(url, HOSTS)).as(url)
                .isInstanceOf(RepositoryUrlPolicy.RefusedException.class)
                .hasMessageContaining("unless an operator allows its network");
        }
    }

    @Test
    void refusesHostFormsResolversDisagreeOn() throws Exception {
        assertThatThrownBy(() -> STRICT.check("https://0177.0.0.1/x.git", HOSTS))
            .hasMessageContaining("a DNS name or a plain IP address, got '0177.0.0.1'");
        for (String url : List.of("https://2130706433/x.git", "https://0x7f000001/x.git", "https://127.1/x.git",
            "https://0177.0.0.1/x.git", "https://127.000.000.001/x.git")) {
            assertThatThrownBy(() -> STRICT.check(url, HOSTS)).as(url)
                .isInstanceOf(RepositoryUrlPolicy.RefusedException.class)
                .hasMessageContaining("must name").hasMessageContaining("DNS name");
        }
    }

    @Test
    void plainHttpGitAndFileOnlyWhenAllowed() throws Exception {
        assertThatThrownBy(() -> STRICT.check("http://github.com/a/b.git", HOSTS))
            .hasMessageContaining("must use https://");
        assertThatThrownBy(() -> STRICT.check("git://github.com/a/b.git", HOSTS))
            .hasMessageContaining("must use https://");
        assertThatThrownBy(() -> STRICT.check("file:///srv/x.git", HOSTS)).hasMessageContaining("file://");
        var lenient = RepositoryUrlPolicy.of(List.of(), true, false, true);
        assertThat(lenient.check("http://github.com/a/b.git", HOSTS).target().port()).isEqualTo(80);
        assertThat(lenient.check("file:///srv/x.git", HOSTS).addresses()).isEmpty();
        assertThatThrownBy(() -> lenient.check("git@github.com:a/b.git", HOSTS)).hasMessageContaining("ssh");
        assertThat(STRICT.gitAllowProtocol()).isEqualTo("https:ssh");
        assertThat(lenient.gitAllowProtocol()).isEqualTo("https:http:git:file");
    }

    @Test
    void publicHostsPassWithTheirAddressesAndAllowedNetworksOpenARange() throws Exception {
        var allowed = STRICT.check("https://github.com/octocat/Hello-World.git", HOSTS);
        assertThat(allowed.target()).isEqualTo(new RepositoryUrlPolicy.Target("https", "github.com", 443));
        assertThat(allowed.addresses()).containsExactly(InetAddress.getByName("140.82.121.4"));
        assertThat(STRICT.check("git@github.com:octocat/Hello-World.git", HOSTS).target())
            .isEqualTo(new RepositoryUrlPolicy.Target("ssh", "github.com", 22));

        var loopback = RepositoryUrlPolicy.of(List.of("127.0.0.0/8", "::1"), true, true, false);
        assertThat(loopback.check("http://127.0.0.1:9000/x.git", HOSTS).target().port()).isEqualTo(9000);
        assertThat(loopback.check("http://[::1]:9000/x.git", HOSTS).addresses())
            .containsExactly(InetAddress.getByName("::1"));
        assertThatThrownBy(() -> loopback.check("https://169.254.169.254/x", HOSTS))
            .hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> STRICT.check("https://nowhere.example/x.git", HOSTS))
            .isInstanceOf(UnknownHostException.class);
    }
}
