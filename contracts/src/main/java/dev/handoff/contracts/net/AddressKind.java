package dev.handoff.contracts.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * What kind of network an address is in, for deciding whether a URL a user typed may be fetched from inside
 * Handoff's own networks. Only {@link #PUBLIC} is reachable by default; every other kind names a network that
 * belongs to the machine or its operator (the control plane's own ports, the cloud's metadata service, the
 * private network PostgreSQL and Kafka live on).
 */
public enum AddressKind {
    PUBLIC("a public address"),
    LOOPBACK("a loopback address (this machine)"),
    LINK_LOCAL("a link-local address"),
    METADATA("a cloud metadata service address"),
    PRIVATE("a private network address"),
    UNSPECIFIED("an unspecified address"),
    RESERVED("a multicast, broadcast or reserved address");

    private final String description;

    AddressKind(String description) {
        this.description = description;
    }

    /** How a user-facing message names this kind ("a loopback address (this machine)"). */
    public String description() {
        return description;
    }

    private record Range(Cidr network, AddressKind kind) {
    }

    /** Checked in order: the metadata addresses sit inside link-local and private ranges. */
    private static final List<Range> RANGES = List.of(
        range("169.254.169.254/32", METADATA),   // AWS, GCP, Azure, OpenStack, Hetzner
        range("169.254.170.2/32", METADATA),     // AWS ECS task metadata
        range("100.100.100.200/32", METADATA),   // Alibaba Cloud
        range("fd00:ec2::254/128", METADATA),    // AWS over IPv6
        range("0.0.0.0/8", UNSPECIFIED),
        range("::/128", UNSPECIFIED),
        range("127.0.0.0/8", LOOPBACK),
        range("::1/128", LOOPBACK),
        range("169.254.0.0/16", LINK_LOCAL),
        range("fe80::/10", LINK_LOCAL),
        range("10.0.0.0/8", PRIVATE),
        range("172.16.0.0/12", PRIVATE),
        range("192.168.0.0/16", PRIVATE),
        range("100.64.0.0/10", PRIVATE),         // carrier-grade NAT, also used inside clouds
        range("198.18.0.0/15", PRIVATE),         // benchmarking networks
        range("fc00::/7", PRIVATE),              // unique local
        range("fec0::/10", PRIVATE),             // site local (deprecated)
        range("192.0.0.0/24", RESERVED),
        range("192.0.2.0/24", RESERVED),
        range("198.51.100.0/24", RESERVED),
        range("203.0.113.0/24", RESERVED),
        range("224.0.0.0/4", RESERVED),          // multicast
        range("240.0.0.0/4", RESERVED),          // reserved, and 255.255.255.255
        range("ff00::/8", RESERVED),             // multicast
        range("2001:db8::/32", RESERVED));

    /**
     * The kind of {@code address}. An IPv6 address that carries an IPv4 address (IPv4-mapped {@code ::ffff:a.b.c.d},
     * IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) has the kind of the
     * IPv4 address it reaches.
     */
    public static AddressKind of(InetAddress address) {
        InetAddress embedded = embeddedIpv4(address);
        if (embedded != null) {
            return of(embedded);
        }
        for (Range range : RANGES) {
            if (range.network().contains(address)) {
                return range.kind();
            }
        }
        return PUBLIC;
    }

    private static InetAddress embeddedIpv4(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return null;
        }
        boolean firstTenZero = Arrays.equals(Arrays.copyOfRange(b, 0, 10), new byte[10]);
        boolean mapped = firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = firstTenZero && b[10] == 0 && b[11] == 0
            && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1));
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
            && (b[3] & 0xff) == 0x9b && Arrays.equals(Arrays.copyOfRange(b, 4, 12), new byte[8]);
        try {
            if (mapped || compatible || nat64) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 2, 6));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    private static Range range(String cidr, AddressKind kind) {
        return new Range(Cidr.parse(cidr), kind);
    }
}
