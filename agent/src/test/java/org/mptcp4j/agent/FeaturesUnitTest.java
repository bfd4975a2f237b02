package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the agent knows of the hook points it wove: the per-socket checks read it. */
class FeaturesUnitTest {
    @Test
    void aTargetMarkedUnrecognisedIsTheOnlyOneReportedSo() {
        NettySockets.Features features = new NettySockets.Features();
        features.markUnrecognised(HookPoint.Target.JDK_SOCKET_CHANNEL);
        assertTrue(features.isUnrecognised(HookPoint.Target.JDK_SOCKET_CHANNEL));
        for (HookPoint.Target t : HookPoint.Target.values()) {
            if (t != HookPoint.Target.JDK_SOCKET_CHANNEL) {
                assertFalse(features.isUnrecognised(t), t.name());
            }
        }
    }

    @Test
    void everyTargetHasABitOfItsOwnInTheUnrecognisedMask() {
        for (HookPoint.Target t : HookPoint.Target.values()) {
            NettySockets.Features features = new NettySockets.Features();
            features.markUnrecognised(t);
            assertTrue(features.isUnrecognised(t), t.name());
            assertTrue(t.ordinal() < Integer.SIZE, t.name() + " does not fit the int mask");
        }
    }
}
