package org.mptcp4j.agent.programs;

/** A program that opens no socket: under the agent it should pay for the transformer only. */
public final class NoSockets {
    public static void main(String[] args) {
        System.out.println("OK no sockets: " + String.join(" ", args).length());
    }
}
