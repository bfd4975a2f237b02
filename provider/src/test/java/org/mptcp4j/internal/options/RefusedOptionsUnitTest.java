package org.mptcp4j.internal.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The values recorded for refused options, as the agent's hook and the channel subclasses read them back. */
class RefusedOptionsUnitTest {
    @Test
    void aValueRecordedForASocketIsReadBackUnderItsOwnerOnly() {
        Object owner = new Object();
        RefusedOptions.recordCarried(owner, OptionRule.SO_OOBINLINE, Boolean.TRUE);
        assertEquals(Boolean.TRUE, RefusedOptions.recorded(owner, "SO_OOBINLINE"));
        assertEquals(null, RefusedOptions.recorded(new Object(), "SO_OOBINLINE"));
    }

    @Test
    void theFirstRecordIsToldToTheListenerOrAtOnceWhenOneWasMadeBefore() {
        AtomicInteger told = new AtomicInteger();
        RefusedOptions.onFirstRecord(told::incrementAndGet);
        RefusedOptions.recordCarried(new Object(), OptionRule.TCP_QUICKACK, Boolean.FALSE);
        assertTrue(told.get() >= 1, "told of the first record");
    }
}
