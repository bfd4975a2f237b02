package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The failover run's integrity line names what differs in exact bytes, which its rounded summary cannot show. */
class FailoverReportUnitTest {
    @Test
    void bytesLostAreCountedExactly() {
        assertEquals("DIFFERENT: 1448 bytes lost (sent 69000000, received 68998552 bytes)",
                Failover.difference(new String[] {"SENT", "69000000", "aa"}, new String[] {"RECEIVED", "68998552", "bb", "5.0"}));
    }

    @Test
    void moreReceivedThanSentIsSaidSo() {
        assertEquals("DIFFERENT: 7 bytes more than sent (sent 100, received 107 bytes)",
                Failover.difference(new String[] {"SENT", "100", "aa"}, new String[] {"RECEIVED", "107", "bb", "5.0"}));
    }

    @Test
    void theSameLengthWithAnotherHashIsCorruption() {
        assertEquals("DIFFERENT with the same length (100 bytes): data corrupted",
                Failover.difference(new String[] {"SENT", "100", "aa"}, new String[] {"RECEIVED", "100", "bb", "5.0"}));
    }
}
