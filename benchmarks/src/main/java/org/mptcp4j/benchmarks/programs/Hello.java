package org.mptcp4j.benchmarks.programs;

/** The start-up benchmark's subject: a JVM that prints one line and exits. */
public final class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
