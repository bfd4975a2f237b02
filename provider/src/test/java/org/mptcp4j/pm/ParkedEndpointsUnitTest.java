package org.mptcp4j.pm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The link watcher's journal lines: what is written is what is read back, and a bad line says which. */
class ParkedEndpointsUnitTest {

    @Test
    void aLineRoundTripsLinkAddressPortDeviceAndFlags() throws Exception {
        Endpoint e = new Endpoint(7, InetAddress.getByName("fd00::51"), 8080, Optional.of("wlan0"),
                EnumSet.of(Endpoint.Flag.SIGNAL, Endpoint.Flag.BACKUP));
        String line = ParkedEndpoints.format(new ParkedEndpoints.Parked("wlan0", e));
        assertEquals("wlan0 fd00:0:0:0:0:0:0:51 8080 wlan0 signal,backup", line);
        ParkedEndpoints.Parked back = ParkedEndpoints.parse(line);
        assertEquals("wlan0", back.link());
        assertEquals(new Endpoint(0, e.address(), 8080, Optional.of("wlan0"), e.flags()), back.endpoint(), "ids are not kept: a fresh one on return");
    }

    @Test
    void anEndpointWithoutDeviceOrFlagsIsWrittenWithDashes() throws Exception {
        Endpoint e = new Endpoint(0, InetAddress.getByName("198.18.51.1"), 0, Optional.empty(), Set.of());
        assertEquals("d2 198.18.51.1 0 - -", ParkedEndpoints.format(new ParkedEndpoints.Parked("d2", e)));
        assertEquals(e, ParkedEndpoints.parse("d2 198.18.51.1 0 - -").endpoint());
    }

    @Test
    void anUnreadableLineIsNamed() {
        IOException e = assertThrows(IOException.class, () -> ParkedEndpoints.parse("d2 not-an-address 0 - -"));
        assertEquals("unreadable line in the link watcher's journal: \"d2 not-an-address 0 - -\"", e.getMessage());
    }

    @Test
    void endpointsAreTheSameByAddressAndPort() throws Exception {
        Endpoint a = new Endpoint(1, InetAddress.getByName("198.18.51.1"), 0, Optional.of("d2"), Set.of(Endpoint.Flag.SIGNAL));
        Endpoint b = new Endpoint(9, InetAddress.getByName("198.18.51.1"), 0, Optional.empty(), Set.of());
        assertEquals(true, ParkedEndpoints.same(a, b));
    }
}
