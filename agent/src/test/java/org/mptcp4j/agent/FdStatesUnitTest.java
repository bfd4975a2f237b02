package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The agent's per-fd bits: what a socket seen created carries to its connect. */
class FdStatesUnitTest {
    @Test
    void aStateIsTakenOnceAndANumberNeverPutHasNone() {
        FdStates states = new FdStates();
        states.put(7, 0);
        assertEquals(0, states.take(7), "a state without bits is still a state");
        assertEquals(-1, states.take(7), "taken: forgotten");
        assertEquals(-1, states.take(8));
    }

    @Test
    void bitsAreAddedOnlyToANumberThatHasAState() {
        FdStates states = new FdStates();
        states.addIfPresent(3, 1);
        assertEquals(-1, states.take(3), "nothing added to a number never put");
        states.put(3, 2);
        states.addIfPresent(3, 1);
        assertEquals(3, states.take(3));
    }

    @Test
    void aReusedNumberStartsOverFromWhatItIsPut() {
        FdStates states = new FdStates();
        states.put(5, 3);
        states.put(5, 0);
        assertEquals(0, states.take(5));
    }

    @Test
    void numbersFarBeyondTheFirstPagesAndNegativeOnesAreHandled() {
        FdStates states = new FdStates();
        states.put(1_048_575, 2);
        assertEquals(-1, states.take(1_048_574));
        assertEquals(2, states.take(1_048_575));
        states.put(-1, 2);
        states.addIfPresent(-1, 1);
        assertEquals(-1, states.take(-1));
    }
}
