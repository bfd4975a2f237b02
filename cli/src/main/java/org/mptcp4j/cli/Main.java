package org.mptcp4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code bin/mptcp4j}: one table of commands gives both the usage text and the
 * dispatch. One line per error, exit 2 for bad usage, 1 for failures; {@code -h}/{@code --help} after
 * any command prints its usage and exits 0; {@code --version} prints the version.
 */
public final class Main {
    private Main() {}

    /** A command: its name, its synopsis (one or more lines), what it does, and how it runs. */
    record Command(String name, String synopsis, String summary, Runner runner) {}

    /** A command's body. */
    @FunctionalInterface
    interface Runner {
        int run(Args args, PrintStream out, PrintStream err) throws Exception;
    }

    static final List<Command> COMMANDS = List.of(
            new Command("demo", "demo [--paths N] [--rate MBIT] [-t SEC]",
                    "the seed article's multipath demo on network namespaces (root)",
                    (a, out, err) -> Demo.run(a, out)),
            new Command("demo failover", "demo failover [--chart F.svg|png] [--eth MBIT] [--wlan MBIT] [-t SEC] [-i SEC] [--down SEC] [--up SEC]\n"
                    + "              [--watch] [--peer mptcp4j|mptcpize-java|mptcpize-native]",
                    "ethernet + wlan, ethernet unplugged and back: intervals, loss check, stall, chart (root)",
                    (a, out, err) -> Failover.run(a, out)),
            new Command("perf", PerfOptions.SYNOPSIS,
                    "bandwidth test speaking iperf3's protocol, iperf3-style output, MPTCP by default",
                    (a, out, err) -> Perf.run(a, out)),
            new Command("cat", "cat [--tcp] -l [-k] PORT | cat [--tcp] HOST PORT",
                    "ncat-style, MPTCP by default, status on stderr",
                    (a, out, err) -> Cat.run(a, System.in, out, err)),
            new Command("proxy", "proxy gateway|reverse --listen PORT --to HOST:PORT",
                    "TCP-to-MPTCP gateway / MPTCP-to-TCP reverse proxy",
                    (a, out, err) -> Proxy.run(a, out)),
            new Command("ifstat", "ifstat [-t SEC] [-n COUNT] [--subflows] [-j]",
                    "bytes/s per interface (pmrep's view); --subflows: per MPTCP subflow",
                    (a, out, err) -> IfStat.run(a, out)),
            new Command("limits", "limits [show] [-j] | limits set [subflow N] [add_addr_accepted N]",
                    "the path manager's limits (ip mptcp limits)",
                    (a, out, err) -> PmCommands.limits(a, out)),
            new Command("endpoint", "endpoint add ADDR [dev IF] [id N] [port P] [signal|subflow|backup|fullmesh] | delete id N | show [-j] | flush",
                    "the path manager's endpoints (ip mptcp endpoint)",
                    (a, out, err) -> PmCommands.endpoint(a, out, err)),
            new Command("monitor", "monitor [-n COUNT] [-j]",
                    "MPTCP events as they happen (ip mptcp monitor)",
                    (a, out, err) -> PmCommands.monitor(a, out, err)),
            new Command("watch", "watch",
                    "link watcher: endpoints leave with their link and come back with it",
                    (a, out, err) -> PmCommands.watch(a, out)),
            new Command("status", "status [PID]",
                    "MPTCP support, sysctls, limits and endpoints; with PID: the agent's counters there",
                    (a, out, err) -> a.hasNext() ? AgentControl.status(AgentControl.pid(a.next()), out) : Status.run(a, out)),
            new Command("run", "run [POLICY] -- java ...",
                    "start a Java command with the agent (POLICY: mode=server exclude=10.0.0.0/8 ...)",
                    (a, out, err) -> {
                        throw new UsageException("run is handled by bin/mptcp4j itself");
                    }),
            new Command("prepare", "prepare DIR [-cp CLASSPATH] [PACKAGE ...]",
                    "weave the agent's classes into DIR ahead (for a container image; Netty's: PACKAGE io.netty ...)",
                    (a, out, err) -> {
                        throw new UsageException("prepare is handled by bin/mptcp4j itself");
                    }),
            new Command("attach", "attach PID [POLICY]",
                    "load the agent into a running JVM",
                    (a, out, err) -> AgentControl.attach(a, out)),
            new Command("help", "help", "this text", (a, out, err) -> {
                out.println(usage());
                return 0;
            }));

    /** Internal commands bin/mptcp4j and the tools use; not listed. */
    private static final List<Command> INTERNAL = List.of(
            new Command("failover-peer", "failover-peer ...", "one end of the failover run", (a, out, err) -> FailoverPeer.run(a, out)),
            new Command("check-policy", "check-policy POLICY", "validates agent arguments", (a, out, err) -> {
                AgentControl.checkPolicy(a.hasNext() ? a.next() : "");
                return 0;
            }));

    /** The usage text, from the table. */
    static String usage() {
        StringBuilder b = new StringBuilder("usage: mptcp4j COMMAND [options]   (mptcp4j COMMAND --help: that command; --version)\n");
        for (Command c : COMMANDS) {
            b.append("  ").append(c.synopsis().replace("\n", "\n  ")).append("\n      ").append(c.summary()).append('\n');
        }
        return b.toString().stripTrailing();
    }

    /** The version this build carries (its jar's Implementation-Version). */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "mptcp4j " + (v != null ? v : "(development build)") + " on Java " + Runtime.version()
                + ", Linux " + System.getProperty("os.version");
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0) {
            err.println(usage());
            return 2;
        }
        if (argv[0].equals("--version") || argv[0].equals("-V")) {
            out.println(version());
            return 0;
        }
        if (argv[0].equals("-h") || argv[0].equals("--help")) {
            out.println(usage());
            return 0;
        }
        // two-word commands first ("demo failover"), then one-word ones
        Command command = null;
        int words = 1;
        if (argv.length > 1) {
            command = find(argv[0] + " " + argv[1]);
            words = command != null ? 2 : 1;
        }
        if (command == null) {
            command = find(argv[0]);
        }
        if (command == null) {
            err.println("mptcp4j: unknown command: " + argv[0] + " (expected one of " + names() + "; mptcp4j help lists them)");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(argv, words, argv.length);
        if (rest.length > 0 && (rest[0].equals("-h") || rest[0].equals("--help"))) {
            out.println("usage: mptcp4j " + command.synopsis().replace("\n", "\n       ") + "\n  " + command.summary());
            return 0;
        }
        try {
            return command.runner().run(new Args(rest), out, err);
        } catch (UsageException e) {
            err.println("mptcp4j: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("mptcp4j: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("mptcp4j: unexpected " + e);
            return 1;
        }
    }

    private static Command find(String name) {
        for (List<Command> list : List.of(COMMANDS, INTERNAL)) {
            for (Command c : list) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
        }
        return null;
    }

    private static String names() {
        StringBuilder b = new StringBuilder();
        for (Command c : COMMANDS) {
            if (!c.name().contains(" ")) {
                b.append(b.length() == 0 ? "" : ", ").append(c.name());
            }
        }
        return b.toString();
    }
}
